; SPAWN of a missing file is ENOENT; of a file that does not assemble, ENOEXEC with one
; line on stderr that says where, without echoing the file; the caller goes on either way.
; RUN: run %s
; EXIT: 0
; STDOUT: missing -2
; STDOUT: broken -8
; STDERR: spawn helpers/broken.s: does not assemble: 1 error, the first at
; STDERR: helpers/broken.s:2:9
; STDERR-NOT: movv
; STDERR-NOT: nope
        .include "lib/print.s"
        .data
nope:   .asciz "helpers/nope.s"
bad:    .asciz "helpers/broken.s"
m1:     .asciz "missing "
m2:     .asciz "broken "
        .text
main:   sys2 SPAWN, nope, 0
        mov  r2, r0
        mov  r1, m1
        call say
        sys2 SPAWN, bad, 0
        mov  r2, r0
        mov  r1, m2
        call say
        mov  r0, 0
        ret
