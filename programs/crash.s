; crash.s — who dies with a fault: a child process alone, but a thread's whole process.
;
; Part 1 forks a child that writes through a null pointer. The kernel kills
; the child only; the parent collects its status (139) and goes on: processes
; are isolated. Part 2 starts a thread that divides by zero. The fault kills
; the whole process, every thread in it: the main thread never prints its
; last line, and vcpu exits with 136.
;
;   vcpu run programs/crash.s
        .data
m_child: .ascii "the child crashed alone; the parent goes on\n"
        .equ L_CHILD, 44
m_last: .ascii "never printed: the thread took this process down\n"
        .equ L_LAST, 50
        .text
main:   mov  r0, SYS_FORK
        syscall
        beq  r0, 0, child
        mov  r1, r0
        mov  r0, SYS_WAIT           ; 139: killed by a segmentation fault
        syscall
        mov  r0, SYS_WRITE
        mov  r1, STDOUT
        mov  r2, m_child
        mov  r3, L_CHILD
        syscall

        mov  r0, SYS_THREAD_CREATE
        mov  r1, divider
        syscall
        mov  r1, r0
        mov  r0, SYS_THREAD_JOIN    ; the thread's fault ends us here
        syscall
        mov  r0, SYS_WRITE
        mov  r1, STDOUT
        mov  r2, m_last
        mov  r3, L_LAST
        syscall
        mov  r0, 0
        ret

child:  mov  r1, 0
        st   r1, [r1]               ; address 0 is never mapped
        ret

divider:
        mov  r1, 0
        div  r0, r0, r1             ; division by zero: an arithmetic fault
        ret
