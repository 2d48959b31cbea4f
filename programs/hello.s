; hello.s — the smallest program: print a line, return 0.
;
; `.include "io.s"` brings in the built-in library (`vcpu lib io.s` shows
; it); print_str takes the string's address in r1 and makes one WRITE
; system call. Returning from main ends the process with status r0.
;
;   vcpu run programs/hello.s
;
; Look for: "hello, world", and exit status 0 (`echo $?`).
; With --stats: about 65 instructions, most of them print_str finding the
; end of the string; 1 system call; 3 TLB misses (a page of code, of data,
; of stack: one miss the first time each page is touched).
; In the window (vcpu gui programs/hello.s): one process, one thread, and
; its frames in the memory map: code, data, stack.
        .include "io.s"
        .data
msg:    .asciz "hello, world\n"
        .text
main:   mov  r1, msg
        call print_str
        mov  r0, 0
        ret
