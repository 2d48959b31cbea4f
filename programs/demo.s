; demo.s — the built-in demo: processes have their own memory, threads share it.
;
; Part 1 forks a child process. The child adds 100 to `counter`, but only to
; its own copy; then it writes into its own code, a segmentation fault that
; kills the child alone. The parent collects its exit status (139) and
; still sees counter = 0: the child's writes stayed in the child.
; Part 2 starts two threads in this process. Each adds 100 to the same
; `counter`, one locked increment at a time, and the main thread sees both:
; 200.
;
;   vcpu                             (the window; headless without a display)
;   vcpu run --stats programs/demo.s
;
; Look for: the four lines; on stderr, the child's fault. With --stats: 2
; process switches, each with a TLB flush (to the child and back), and
; many thread switches between the two threads, with no flush.
; In the window, at its default speed: the fork and the first flush (the
; TLB panel flashes red) come at once; the child runs alone while the
; parent waits; its fault and the switch back come a few seconds in; then
; the two threads take turns on the timeline, blocking on the lock.
        .include "io.s"
        .equ N, 100
        .data
counter: .word 0
mutex:  .word 0
m_child: .asciz "child process:   counter = "
m_status: .asciz "child crashed, its exit status: "
m_parent: .asciz "parent process:  counter = "
m_threads: .asciz "after 2 threads: counter = "
        .text
main:
        ; --- part 1: a child process gets a copy of memory ---
        mov  r0, SYS_FORK
        syscall
        beq  r0, 0, child
        mov  r1, r0
        mov  r0, SYS_WAIT           ; wait for the child to end
        syscall
        mov  r2, r0
        mov  r1, m_status
        call print_str_int          ; 139: killed by a segmentation fault
        mov  r1, m_parent
        ld   r2, [counter]
        call print_str_int          ; 0: the child's writes stayed in the child

        ; --- part 2: threads share this process's memory ---
        mov  r0, SYS_THREAD_CREATE
        mov  r1, worker
        syscall
        mov  r6, r0
        mov  r0, SYS_THREAD_CREATE
        mov  r1, worker
        syscall
        mov  r7, r0
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r6
        syscall
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r7
        syscall
        mov  r1, m_threads
        ld   r2, [counter]
        call print_str_int          ; 200: both threads wrote the same word
        mov  r0, 0
        ret

; child: adds N to its own copy of counter, then crashes.
child:  mov  r5, 0
c_loop: ld   r6, [counter]
        add  r6, 1
        st   r6, [counter]
        inc  r5
        blt  r5, N, c_loop
        mov  r1, m_child
        ld   r2, [counter]
        call print_str_int          ; 100
        st   r6, [main]             ; a write to the code segment: killed

; worker: adds N to the shared counter, one locked increment at a time.
worker: mov  r5, 0
w_loop: mov  r0, SYS_LOCK
        mov  r1, mutex
        syscall
        ld   r6, [counter]          ; critical section: load, add, store
        add  r6, 1
        st   r6, [counter]
        mov  r0, SYS_UNLOCK
        mov  r1, mutex
        syscall
        inc  r5
        blt  r5, N, w_loop
        mov  r0, 0
        ret
