; race_mutex.s — race.s fixed with a mutex: LOCK and UNLOCK around the increment.
;
; The load, add and store of race.s become a critical section: a thread
; takes the kernel mutex named by `mutex` before it and gives it back after.
; A thread preempted while holding it keeps it; the other thread's LOCK
; then blocks (it sleeps in the kernel, using no CPU) until the holder's
; UNLOCK hands the mutex over. No update is lost, at any quantum.
;
; Past this header and the message, the code is race.s line for line:
; `diff programs/race.s programs/race_mutex.s` ends with the fix.
;
;   vcpu run programs/race_mutex.s
;   vcpu run --quantum 7 programs/race_mutex.s
;   vcpu run --seed 1 programs/race_mutex.s
;
; Look for: counter = 20000 every time, 0 lost, also with the seed that
; makes race.s lose 5747.
; With --stats: compare race.s: two system calls per increment make it
; nearly twice the instructions, and handing the lock over adds switches.
; In the window: a thread blocked on the lock is listed as waiting for it
; (and by whom it is held), and its lane on the timeline stays empty until
; the holder's UNLOCK hands the lock over.
        .include "io.s"
        .equ N, 10000
        .data
counter: .word 0
mutex:  .word 0                     ; the mutex's name: its address
m_got:  .asciz "2 threads x 10000 increments, with a mutex: counter = "
m_lost: .asciz "updates lost: "
        .text
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, bump
        syscall
        mov  r6, r0
        mov  r0, SYS_THREAD_CREATE
        mov  r1, bump
        syscall
        mov  r7, r0
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r6
        syscall
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r7
        syscall
        mov  r1, m_got
        ld   r2, [counter]
        call print_str_int
        mov  r1, m_lost
        ld   r2, [counter]
        neg  r2, r2
        add  r2, 2 * N              ; 20000 - counter
        call print_str_int
        mov  r0, 0
        ret

; bump: add 1 to counter, N times, each time holding the mutex.
bump:   mov  r5, 0
        mov  r1, mutex              ; LOCK and UNLOCK keep r1: set it once
loop:   mov  r0, SYS_LOCK           ; blocks while the other thread holds it
        syscall
        ld   r6, [counter]          ; the critical section
        add  r6, 1
        st   r6, [counter]
        mov  r0, SYS_UNLOCK         ; hands the mutex to a waiter, if any
        syscall
        inc  r5
        blt  r5, N, loop
        mov  r0, 0
        ret
