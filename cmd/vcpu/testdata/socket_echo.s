; A socket echo server and two clients, each its own process: the server accepts
; each connection and echoes what it reads until the client closes its end.
; RUN: run --quantum 11 %s
; EXIT: 0
; STDOUT: second listen -98
; STDOUT: connect to a closed port -111
; STDOUT: client 1 got: ping-1
; STDOUT: client 2 got: ping-2
        .include "lib/print.s"
        .equ PORT, 7
        .data
msg1:   .ascii "ping-1\n"
msg2:   .ascii "ping-2\n"
got1:   .asciz "client 1 got: "
got2:   .asciz "client 2 got: "
m1:     .asciz "connect to a closed port "
m2:     .asciz "second listen "
        .bss
buf:    .space 32
        .text
main:   sys1 LISTEN, PORT
        mov  r9, r0                     ; listening descriptor, inherited by the children
        sys1 LISTEN, PORT
        mov  r2, r0
        mov  r1, m2
        call say
        sys1 CONNECT, 8
        mov  r2, r0
        mov  r1, m1
        call say
        sys0 FORK
        beq  r0, 0, server
        mov  r10, r0
        mov  r4, msg1
        mov  r5, got1
        call client
        mov  r4, msg2
        mov  r5, got2
        call client
        sys1 KILL, r10
        sys1 WAIT, r10
        mov  r0, 0
        ret

; client(r4 = message, r5 = label): connect, send, read the echo, print it.
client: push r4
        push r5
        sys1 CONNECT, PORT
        mov  r6, r0
        pop  r5
        pop  r4
        sys3 WRITE, r6, r4, 7
        sys3 READ, r6, buf, 32
        mov  r7, r0
        sys1 CLOSE, r6
        mov  r1, r5
        call print_str
        sys3 WRITE, STDOUT, buf, r7
        ret

server: sys1 ACCEPT, r9
        blt  r0, 0, s_out
        mov  r6, r0
s_echo: sys3 READ, r6, buf, 32
        beq  r0, 0, s_next
        sys3 WRITE, r6, buf, r0
        jmp  s_echo
s_next: sys1 CLOSE, r6
        jmp  server
s_out:  mov  r0, 1
        ret
