; pipe.s — two processes talk through a pipe.
;
; A process cannot see another's memory, so to send it data the kernel must
; carry it: PIPE makes a one-way channel with a read end and a write end.
; After FORK both processes hold both ends; each closes the end it does not
; use. The child writes, the parent reads until end of file (READ returns 0
; once every write end is closed).
;
;   vcpu run programs/pipe.s
;
; Look for: the child's message, printed by the parent: it crossed from one
; address space to the other only through the kernel.
; With --stats: 2 process switches, each with a TLB flush: the parent
; blocks in READ on the empty pipe, the child runs and writes, the parent
; wakes; --strace shows the READ that blocks.
; In the window: the parent waits on the timeline while the child runs.
        .data
fds:    .word 0, 0                  ; PIPE stores: read end, write end
msg:    .ascii "a message from the child, carried by the kernel\n"
        .equ LEN, 48
        .bss
buf:    .space 16
        .text
main:   mov  r0, SYS_PIPE
        mov  r1, fds
        syscall
        mov  r0, SYS_FORK
        syscall
        beq  r0, 0, child

parent: mov  r0, SYS_CLOSE          ; the parent only reads
        ld   r1, [fds + 4]
        syscall
read:   mov  r0, SYS_READ           ; blocks while the pipe is empty
        ld   r1, [fds]
        mov  r2, buf
        mov  r3, 16
        syscall
        beq  r0, 0, done            ; 0: the child closed its end
        mov  r3, r0
        mov  r0, SYS_WRITE
        mov  r1, STDOUT
        mov  r2, buf
        syscall
        jmp  read
done:   mov  r0, SYS_WAIT
        mov  r1, -1
        syscall
        mov  r0, 0
        ret

child:  mov  r0, SYS_CLOSE          ; the child only writes
        ld   r1, [fds]
        syscall
        mov  r0, SYS_WRITE
        ld   r1, [fds + 4]
        mov  r2, msg
        mov  r3, LEN
        syscall
        mov  r0, 0                  ; exiting closes the write end
        ret
