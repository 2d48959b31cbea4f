; crash.s — who dies with a fault: a child process alone, but a thread's whole process.
;
; Part 1 forks a child that writes through a null pointer. The kernel kills
; the child only; the parent collects its status (139: killed by a
; segmentation fault) and goes on: processes are isolated. Part 2 starts a
; thread that divides by zero. The fault kills the whole process, every
; thread in it: the main thread never prints its last line, and vcpu exits
; with 136 (an arithmetic fault).
;
;   vcpu run programs/crash.s
;
; Look for: on stdout, the parent's line after the child died; on stderr,
; one line per fault, naming the pid, the thread, the fault, the address
; and the source line; and the exit status, 136 (`echo $?`).
; With --stats: faults 2; the child's row shows status 139.
; In the window: the child's frames leave the memory map when it dies; the
; parent's stay until the thread's fault takes them all.
        .include "io.s"
        .data
m_child: .asciz "the child crashed (status "
m_alone: .asciz "); the parent goes on\n"
m_last: .asciz "never printed: the thread took this process down\n"
        .text
main:   mov  r0, SYS_FORK
        syscall
        beq  r0, 0, child
        mov  r1, r0
        mov  r0, SYS_WAIT           ; 139: killed by a segmentation fault
        syscall
        mov  r6, r0
        mov  r1, m_child
        call print_str
        mov  r1, r6
        call print_int
        mov  r1, m_alone
        call print_str

        mov  r0, SYS_THREAD_CREATE
        mov  r1, divider
        syscall
        mov  r1, r0
        mov  r0, SYS_THREAD_JOIN    ; the thread's fault ends us here
        syscall
        mov  r1, m_last
        call print_str
        mov  r0, 0
        ret

child:  mov  r1, 0
        st   r1, [r1]               ; address 0 is never mapped
        ret

divider:
        mov  r1, 0
        div  r0, r0, r1             ; division by zero: an arithmetic fault
        ret
