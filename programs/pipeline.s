; pipeline.s — three processes in a row, joined by two pipes: producer | filter | consumer.
;
; Like `seq 30 | grep-primes | cat` in a shell. The producer writes the
; numbers 1 to 30 as lines of text into the first pipe; the filter reads
; them, keeps the primes and writes those into the second pipe; the
; consumer (the first process) prints what comes out and a total. Each
; process closes the pipe ends it does not use: a reader sees the end of
; the input (READ returns 0) only once every write end is closed.
; The three run at once: the filter works on a number while the producer
; writes the next, and a process with nothing to read blocks.
;
;   vcpu run programs/pipeline.s
;
; Look for: the ten primes, in order, and their sum.
; With --stats: 3 processes, and a process switch (with a TLB flush) each
; time one blocks on an empty pipe and another runs.
; In the window: three processes in the memory map; on the timeline they
; take turns as the numbers flow through.
        .include "io.s"
        .include "string.s"
        .equ LAST, 30
        .data
p1:     .word 0, 0                  ; producer -> filter: read end, write end
p2:     .word 0, 0                  ; filter -> consumer
m_got:  .asciz "consumer got "
m_count: .asciz "primes up to 30: "
m_sum:  .asciz "their sum: "
        .text
main:   mov  r0, SYS_PIPE
        mov  r1, p1
        syscall
        mov  r0, SYS_PIPE
        mov  r1, p2
        syscall
        mov  r0, SYS_FORK
        syscall
        beq  r0, 0, producer
        mov  r0, SYS_FORK
        syscall
        beq  r0, 0, filter

; consumer: print each number from p2; then how many, and their sum.
consumer:
        ld   r1, [p1]
        call close
        ld   r1, [p1 + 4]
        call close
        ld   r1, [p2 + 4]
        call close
        mov  r6, 0                  ; r6: how many
        mov  r7, 0                  ; r7: their sum
c_next: ld   r1, [p2]
        call read_num
        bne  r1, 0, c_end           ; end of input: the filter is done
        inc  r6
        add  r7, r0
        mov  r2, r0
        mov  r1, m_got
        call print_str_int
        jmp  c_next
c_end:  mov  r1, m_count
        mov  r2, r6
        call print_str_int
        mov  r1, m_sum
        mov  r2, r7
        call print_str_int
        mov  r6, 0                  ; collect both children
c_wait: mov  r0, SYS_WAIT
        mov  r1, -1
        syscall
        inc  r6
        blt  r6, 2, c_wait
        mov  r0, 0
        ret

; producer: write 1 ... LAST into p1, a line each.
producer:
        ld   r1, [p1]
        call close
        ld   r1, [p2]
        call close
        ld   r1, [p2 + 4]
        call close
        mov  r6, 1
p_next: ld   r1, [p1 + 4]
        mov  r2, r6
        call write_num
        inc  r6
        ble  r6, LAST, p_next
        mov  r0, 0                  ; exiting closes p1's write end
        ret

; filter: copy the primes from p1 to p2.
filter: ld   r1, [p1 + 4]
        call close
        ld   r1, [p2]
        call close
f_next: ld   r1, [p1]
        call read_num
        bne  r1, 0, f_end
        mov  r6, r0
        mov  r1, r6
        call is_prime
        beq  r0, 0, f_next
        ld   r1, [p2 + 4]
        mov  r2, r6
        call write_num
        jmp  f_next
f_end:  mov  r0, 0
        ret

; is_prime: r1 = n; r0 = 1 if n is prime, else 0. Changes r0-r3.
is_prime:
        mov  r0, 0
        blt  r1, 2, ip_ret
        mov  r2, 2                  ; try every divisor d with d * d <= n
ip_try: mul  r3, r2, r2
        bgt  r3, r1, ip_yes
        rem  r3, r1, r2
        beq  r3, 0, ip_ret
        inc  r2
        jmp  ip_try
ip_yes: mov  r0, 1
ip_ret: ret

; close: close descriptor r1. Changes r0.
close:  mov  r0, SYS_CLOSE
        syscall
        ret

; write_num: write the number r2 and a newline to descriptor r1, with one
; WRITE. Changes r0-r5.
write_num:
        push fp
        mov  fp, sp
        sub  sp, 16
        push r1
        mov  r1, r2
        sub  r2, fp, 16             ; the text goes in the 16 bytes below fp
        call itoa
        sub  r2, fp, 16
        add  r3, r2, r0             ; the newline replaces itoa's 0 byte
        mov  r4, '\n'
        stb  r4, [r3]
        add  r3, r0, 1
        pop  r1
        mov  r0, SYS_WRITE
        syscall
        mov  sp, fp
        pop  fp
        ret

; read_num: read a line holding a number from descriptor r1, a byte at a
; time. r0 = the number and r1 = 0, or r1 = -1 at the end of the input.
; Changes r0-r5.
read_num:
        push 0                      ; [sp]: the byte READ fills in
        mov  r2, sp
        mov  r3, 1
        mov  r4, 0                  ; r4: the number so far
        mov  r5, 0                  ; r5: bytes read
rn_next: mov r0, SYS_READ
        syscall
        ble  r0, 0, rn_end
        inc  r5
        ldb  r0, [sp]
        beq  r0, '\n', rn_end
        sub  r0, '0'
        mul  r4, r4, 10
        add  r4, r0
        jmp  rn_next
rn_end: add  sp, 4
        mov  r0, r4
        mov  r1, 0
        bne  r5, 0, rn_ret
        mov  r1, -1
rn_ret: ret
