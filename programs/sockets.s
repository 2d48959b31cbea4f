; sockets.s — a server process and a client process, on a loopback port.
;
; LISTEN claims a port; CONNECT reaches whoever listens there; ACCEPT waits
; for the connection and returns a descriptor for it. The connection carries
; bytes both ways. Here the client sends a question, the server answers.
;
;   vcpu run programs/sockets.s
;
; Look for: the server's answer, printed by the client.
; With --stats: 4 process switches: each side blocks in turn (ACCEPT, READ)
; until the other has done its part, and each switch flushes the TLB.
        .equ PORT, 80
        .data
ask:    .ascii "what time is it?"
        .equ ASKLEN, 16
answer: .ascii "time to learn about sockets\n"
        .equ ANSLEN, 28
        .bss
buf:    .space 32
        .text
main:   mov  r0, SYS_LISTEN         ; listen before forking: no race
        mov  r1, PORT
        syscall
        mov  r5, r0
        mov  r0, SYS_FORK
        syscall
        beq  r0, 0, client

server: mov  r0, SYS_ACCEPT         ; blocks until the client connects
        mov  r1, r5
        syscall
        mov  r6, r0
        mov  r0, SYS_READ           ; the question
        mov  r1, r6
        mov  r2, buf
        mov  r3, 32
        syscall
        mov  r0, SYS_WRITE          ; the answer
        mov  r1, r6
        mov  r2, answer
        mov  r3, ANSLEN
        syscall
        mov  r0, SYS_WAIT
        mov  r1, -1
        syscall
        mov  r0, 0
        ret

client: mov  r0, SYS_CONNECT
        mov  r1, PORT
        syscall
        mov  r6, r0
        mov  r0, SYS_WRITE
        mov  r1, r6
        mov  r2, ask
        mov  r3, ASKLEN
        syscall
        mov  r0, SYS_READ           ; blocks until the server answers
        mov  r1, r6
        mov  r2, buf
        mov  r3, 32
        syscall
        mov  r3, r0
        mov  r0, SYS_WRITE
        mov  r1, STDOUT
        mov  r2, buf
        syscall
        mov  r0, 0
        ret
