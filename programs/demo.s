; demo.s — the built-in demo: a process has its own memory, threads share it.
;
; Part 1 forks a child process. The child adds 100 to `counter`, but only to
; its own copy: the parent still sees 0 afterwards.
; Part 2 starts two threads in this process. Each adds 100 to the same
; `counter`, under a lock, and the main thread sees both: 200.
;
; Run it with statistics to see what each part cost:
;   vcpu run --stats programs/demo.s
        .equ N, 100
        .data
counter: .word 0
mutex:  .word 0
m_child: .asciz "child process:   counter = "
m_parent: .asciz "parent process:  counter = "
m_threads: .asciz "after 2 threads: counter = "
        .text
main:
        ; --- part 1: a child process gets a copy of memory ---
        mov  r0, SYS_FORK
        syscall
        beq  r0, 0, child
        mov  r1, r0
        mov  r0, SYS_WAIT           ; wait for the child to finish
        syscall
        ld   r2, [counter]
        mov  r1, m_parent
        call say                    ; 0: the child's writes stayed in the child

        ; --- part 2: threads share this process's memory ---
        mov  r0, SYS_THREAD_CREATE
        mov  r1, worker
        mov  r2, 0
        syscall
        mov  r5, r0
        mov  r0, SYS_THREAD_CREATE
        mov  r1, worker
        mov  r2, 0
        syscall
        mov  r6, r0
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r5
        syscall
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r6
        syscall
        ld   r2, [counter]
        mov  r1, m_threads
        call say                    ; 200: both threads wrote the same word
        mov  r0, 0
        ret

; child: adds N to its own copy of counter.
child:  mov  r5, 0
c_loop: ld   r6, [counter]
        add  r6, 1
        st   r6, [counter]
        inc  r5
        blt  r5, N, c_loop
        ld   r2, [counter]
        mov  r1, m_child
        call say                    ; 100
        mov  r0, 0
        ret

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

; say: print the string at r1, then the number in r2, then a newline.
say:    push r2
        mov  r2, r1                 ; find the end of the string
s_scan: ldb  r4, [r2]
        beq  r4, 0, s_write
        inc  r2
        jmp  s_scan
s_write:
        sub  r3, r2, r1
        mov  r2, r1
        mov  r1, STDOUT
        mov  r0, SYS_WRITE
        syscall
        pop  r1
        ; print r1 in decimal: digits go backwards into a buffer on the stack
        push fp
        mov  fp, sp
        sub  sp, 12
        mov  r2, fp
        mov  r4, '\n'
        dec  r2
        stb  r4, [r2]
d_loop: remu r3, r1, 10
        add  r3, '0'
        dec  r2
        stb  r3, [r2]
        divu r1, r1, 10
        bne  r1, 0, d_loop
        sub  r3, fp, r2
        mov  r1, STDOUT
        mov  r0, SYS_WRITE
        syscall
        mov  sp, fp
        pop  fp
        ret
