; race.s — two threads, one counter, no lock: updates get lost.
;
; Each thread adds 1 to `counter` N times with three instructions: load, add,
; store. If the timer preempts a thread between its load and its store, the
; other thread's increments in between are overwritten when it resumes. The
; fix is a critical section: run it again with LOCKED set to 1.
;
;   vcpu run --quantum 7 programs/race.s       (try other quanta too)
        .equ N, 1000
        .equ LOCKED, 0              ; 1: take the mutex around the increment
        .data
counter: .word 0
mutex:  .word 0
m_got:  .asciz "counter = "
m_want: .asciz " (want 2000)\n"
        .bss
digits: .space 12
        .text
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, bump
        syscall
        mov  r5, r0
        mov  r0, SYS_THREAD_CREATE
        mov  r1, bump
        syscall
        mov  r6, r0
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r5
        syscall
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r6
        syscall
        mov  r1, m_got
        mov  r3, 10
        call puts
        ld   r1, [counter]
        call putnum
        mov  r1, m_want
        mov  r3, 13
        call puts
        mov  r0, 0
        ret

bump:   mov  r5, 0
loop:   mov  r7, LOCKED
        beq  r7, 0, nolock
        mov  r0, SYS_LOCK
        mov  r1, mutex
        syscall
nolock: ld   r6, [counter]          ; the critical section: load...
        add  r6, 1                  ; ...add...
        st   r6, [counter]          ; ...store
        beq  r7, 0, next
        mov  r0, SYS_UNLOCK
        mov  r1, mutex
        syscall
next:   inc  r5
        blt  r5, N, loop
        mov  r0, 0
        ret

; puts: write r3 bytes at r1.
puts:   mov  r2, r1
        mov  r1, STDOUT
        mov  r0, SYS_WRITE
        syscall
        ret

; putnum: write r1 in decimal.
putnum: mov  r2, digits + 12
p_loop: remu r3, r1, 10
        add  r3, '0'
        dec  r2
        stb  r3, [r2]
        divu r1, r1, 10
        bne  r1, 0, p_loop
        mov  r3, digits + 12
        sub  r3, r2
        mov  r1, STDOUT
        mov  r0, SYS_WRITE
        syscall
        ret
