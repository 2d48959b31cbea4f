; Spawned by spawn_errors.s: it does not assemble.
main:   movv r0, 1
