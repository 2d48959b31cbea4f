; fib.s — calls, stack frames and the stack: fib(n) = fib(n-1) + fib(n-2).
;
; fib calls itself twice. Each call pushes a frame on the stack: the return
; address (`call` pushes it), the caller's fp, and the two registers fib
; must give back unchanged (r6 and r7: the calling convention says r6-r13
; survive a call, so a routine that uses them saves and restores them).
; That is 16 bytes a frame, and the deepest chain of calls for fib(n) is n
; frames deep: the stack grows and shrinks as the calls return, while the
; number of calls grows like fib(n) itself.
;
;   vcpu run programs/fib.s
;
; Look for: the values, the calls (fib(20) takes 21891 of them) and the
; frames: only 20 deep for fib(20), 320 bytes of stack, because each call
; returns (and gives its frame back) before the next one starts.
; With --stats: 471313 instructions, yet only 3 TLB misses: the stack
; stays within one page, and so do the code and the data.
; In the window: pc and sp move up and down as the calls nest and return.
        .include "io.s"
        .data
calls:  .word 0                     ; calls made, for this fib(n)
lowest: .word 0                     ; the lowest sp seen, for this fib(n)
m_fib:  .asciz "fib("
m_is:   .asciz ") = "
m_calls: .asciz "  calls: "
m_deep: .asciz "  frames: "
m_bytes: .asciz " deep, "
m_frames: .asciz " bytes of stack\n"
        .text
main:   mov  r6, 0                  ; r6: n, kept across calls
next:   mov  r1, 0
        st   r1, [calls]
        st   sp, [lowest]
        mov  r7, sp                 ; r7: sp before the first call
        mov  r1, r6
        call fib
        mov  r8, r0
        mov  r1, m_fib
        call print_str
        mov  r1, r6
        call print_int
        mov  r1, m_is
        call print_str
        mov  r1, r8
        call print_int
        mov  r1, m_calls
        call print_str
        ld   r1, [calls]
        call print_int
        mov  r1, m_deep
        call print_str
        ld   r8, [lowest]
        sub  r8, r7, r8             ; bytes below main's sp
        shr  r1, r8, 4              ; 16 bytes a frame
        call print_int
        mov  r1, m_bytes
        call print_str
        mov  r1, r8
        call print_int
        mov  r1, m_frames
        call print_str
        add  r6, 5
        ble  r6, 20, next
        mov  r0, 0
        ret

; fib: r1 = n; r0 = fib(n). Changes r0-r2; keeps r6 and r7 for its caller.
fib:    push fp                     ; the frame: [fp+4] return address,
        mov  fp, sp                 ; [fp] the caller's fp,
        push r6                     ; [fp-4] the caller's r6,
        push r7                     ; [fp-8] the caller's r7
        ld   r2, [calls]
        inc  r2
        st   r2, [calls]
        ld   r2, [lowest]
        bgeu sp, r2, f_body
        st   sp, [lowest]
f_body: mov  r0, r1                 ; fib(0) = 0, fib(1) = 1
        blt  r1, 2, f_done
        mov  r6, r1
        sub  r1, r6, 1
        call fib                    ; fib(n-1)
        mov  r7, r0
        sub  r1, r6, 2
        call fib                    ; fib(n-2)
        add  r0, r7
f_done: pop  r7
        pop  r6
        mov  sp, fp
        pop  fp
        ret
