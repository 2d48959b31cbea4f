; Helper for output_order.s: crashes after the printer's second line.
main:   mov  r0, SYS_SLEEP
        mov  r1, 1500
        syscall
        mov  r1, 0
        st   r1, [r1]
        ret
