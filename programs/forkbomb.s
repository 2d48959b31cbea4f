; forkbomb.s — a program that grabs all it can: the limits hold, the machine survives.
;
; Three greedy loops, each until the kernel says no. FORK children until
; FORK fails (each child waits on a pipe, so they all stay alive); create
; threads until THREAD_CREATE fails (each waits for a lock the main thread
; holds); grow the heap a page at a time until SBRK fails. Each loop ends
; with an error code, never a crash: EAGAIN at the limit on processes or
; threads, ENOMEM when physical memory runs out. Between the loops the
; program lets go of what it took (closing the pipe ends every child's
; wait; unlocking lets the threads finish), and at the end it exits
; normally: the machine survived.
;
;   vcpu run programs/forkbomb.s
;   vcpu run --procs 8 --threads 4 --mem 256K programs/forkbomb.s
;
; Look for: how far each loop got and the error that stopped it. With the
; default limits (`vcpu help run`: --procs 64, --threads 32, --mem 1M)
; memory runs out before the process limit is reached: each child needs
; frames of its own (a copy of each page of its parent, its stack); the
; thread limit stops the threads; the heap takes what memory is left.
; With the second command's limits, the process and thread limits come
; first (EAGAIN), and less memory is left for the heap.
; With --stats: a row for every child, and "peak" frames near --mem's worth.
        .include "io.s"
        .data
fds:    .word 0, 0                  ; the pipe the children wait on
lock:   .word 0
m_forks: .asciz "FORK: children started before it failed: "
m_threads: .asciz "THREAD_CREATE: threads started before it failed: "
m_pages: .asciz "SBRK: heap pages added before it failed: "
m_err:  .asciz "  the error: "
m_eagain: .asciz " (EAGAIN: a limit on processes or threads)\n"
m_enomem: .asciz " (ENOMEM: out of physical memory)\n"
m_other: .asciz "\n"
m_reaped: .asciz "children collected: "
m_joined: .asciz "threads joined: "
m_fine: .asciz "the machine is fine; exiting normally\n"
        .bss
tids:   .space 4 * 1024
        .text
main:   ; 1: fork until FORK fails; each child waits for the pipe to close.
        mov  r0, SYS_PIPE
        mov  r1, fds
        syscall
        mov  r6, 0                  ; r6: children
f_loop: mov  r0, SYS_FORK
        syscall
        blt  r0, 0, f_fail
        beq  r0, 0, child
        inc  r6
        jmp  f_loop
f_fail: mov  r7, r0
        mov  r1, m_forks
        mov  r2, r6
        call print_str_int
        mov  r1, r7
        call show_err
        mov  r0, SYS_CLOSE          ; the last write end: every child's READ
        ld   r1, [fds + 4]          ; returns 0, and the child ends
        syscall
        mov  r6, 0
reap:   mov  r0, SYS_WAIT
        mov  r1, -1
        syscall
        blt  r0, 0, reaped          ; ECHILD: none left
        inc  r6
        jmp  reap
reaped: mov  r1, m_reaped
        mov  r2, r6
        call print_str_int

        ; 2: threads until THREAD_CREATE fails; each waits for our lock.
        mov  r0, SYS_LOCK
        mov  r1, lock
        syscall
        mov  r6, 0                  ; r6: threads
t_loop: mov  r0, SYS_THREAD_CREATE
        mov  r1, waiter
        syscall
        blt  r0, 0, t_fail
        shl  r2, r6, 2
        st   r0, [r2 + tids]
        inc  r6
        blt  r6, 1024, t_loop
t_fail: mov  r7, r0
        mov  r1, m_threads
        mov  r2, r6
        call print_str_int
        mov  r1, r7
        call show_err
        mov  r0, SYS_UNLOCK         ; let the threads go: each takes the
        mov  r1, lock               ; lock in turn, gives it back, ends
        syscall
        mov  r7, 0
join:   bge  r7, r6, joined
        shl  r2, r7, 2
        ld   r1, [r2 + tids]
        mov  r0, SYS_THREAD_JOIN
        syscall
        inc  r7
        jmp  join
joined: mov  r1, m_joined
        mov  r2, r7
        call print_str_int

        ; 3: grow the heap a page at a time until SBRK fails.
        mov  r6, 0                  ; r6: pages
s_loop: mov  r0, SYS_SBRK
        mov  r1, 4096
        syscall
        blt  r0, 0, s_fail
        inc  r6
        jmp  s_loop
s_fail: mov  r7, r0
        mov  r1, m_pages
        mov  r2, r6
        call print_str_int
        mov  r1, r7
        call show_err
        mov  r0, SYS_SBRK           ; give the memory back
        shl  r1, r6, 12
        neg  r1, r1
        syscall
        mov  r1, m_fine
        call print_str
        mov  r0, 0
        ret

; child: close the write end it inherited, then wait for the end of the pipe.
child:  mov  r0, SYS_CLOSE
        ld   r1, [fds + 4]
        syscall
        push 0
        mov  r0, SYS_READ           ; blocks until every write end is closed
        ld   r1, [fds]
        mov  r2, sp
        mov  r3, 1
        syscall
        add  sp, 4                  ; the stack as main found it: ret exits
        mov  r0, 0
        ret

; waiter: a thread; takes the lock once it is free, gives it back, ends.
waiter: mov  r0, SYS_LOCK
        mov  r1, lock
        syscall
        mov  r0, SYS_UNLOCK
        mov  r1, lock
        syscall
        mov  r0, 0
        ret

; show_err: print the error code in r1, and its name. Keeps r6-r13.
show_err:
        push r6
        mov  r6, r1
        mov  r1, m_err
        call print_str
        mov  r1, r6
        call print_int
        mov  r1, m_eagain
        beq  r6, EAGAIN, se_name
        mov  r1, m_enomem
        beq  r6, ENOMEM, se_name
        mov  r1, m_other
se_name: call print_str
        pop  r6
        ret
