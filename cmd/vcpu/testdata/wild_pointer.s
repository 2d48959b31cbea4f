; A load from an address no segment holds kills the process with a segmentation fault.
; RUN: run %s
; EXIT: 139
; STDOUT-EMPTY
; STDERR: vcpu: pid 1 (wild_pointer) tid 1 killed: segmentation fault (read of unmapped address) at 0x70000000
main:   mov  r1, 0x70000000
        ld   r2, [r1]
        mov  r0, 0
        ret
