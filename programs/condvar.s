; condvar.s — a bounded buffer with a mutex and two condition variables.
;
; The classic monitor: one mutex guards the buffer and its count; a thread
; that cannot go on (a producer facing a full buffer, a consumer facing an
; empty one) waits on a condition variable. COND_WAIT releases the mutex
; while it sleeps and takes it again before it returns. Whoever changes the
; buffer signals the other side. Two producers and two consumers share it.
; A woken thread must test its condition again (`while`, not `if`): between
; the signal and its turn, another thread may have taken the slot or the
; item it was woken for. The program counts how often that happens. It is
; rare here, because vcpu's kernel queues the woken thread for the mutex
; in FIFO order: it takes a thread preempted at just the wrong moment.
; With the fixed quantum it never happens; with --seed (random quantum
; lengths) and --quantum 20, a few seeds in a hundred
; show it (seeds 1, 36 and 66 do, once each).
;
;   vcpu run programs/condvar.s
;   vcpu run --quantum 10 programs/condvar.s
;   vcpu run --seed 1 --quantum 20 programs/condvar.s
;
; Look for: each consumer's count, a total of 24 items whose sum is right
; (2 x (1 + ... + 12) = 156), and how many woken threads found their
; condition false again and went back to wait: 0, and 1 with seed 1.
; With --stats: one process, many thread switches at the waits.
; In the window: threads blocked on the condition variables, and on the mutex.
        .include "io.s"
        .equ PER_PRODUCER, 12
        .equ SLOTS, 2
        .data
mutex:  .word 0
not_full: .word 0                   ; condition: a slot is free
not_empty: .word 0                  ; condition: an item is there
buf:    .space SLOTS * 4
count:  .word 0                     ; items in the buffer
head:   .word 0
tail:   .word 0
taken:  .word 0                     ; items taken, by both consumers
sum:    .word 0
rewaits: .word 0                    ; woken, found the condition false again
tids:   .space 16
m_cons: .asciz "a consumer took, in all: "
m_total: .asciz "items taken: "
m_sum:  .asciz "their sum: "
m_rewait: .asciz "woken but had to wait again: "
        .text
main:   mov  r6, 0                  ; start 2 producers, 2 consumers
start:  mov  r0, SYS_THREAD_CREATE
        mov  r1, producer
        and  r2, r6, 1
        beq  r2, 0, s_create
        mov  r1, consumer
s_create:
        syscall
        shl  r2, r6, 2
        st   r0, [r2 + tids]
        inc  r6
        blt  r6, 4, start
        mov  r6, 0
join:   shl  r2, r6, 2
        ld   r1, [r2 + tids]
        mov  r0, SYS_THREAD_JOIN    ; a consumer's value: the items it took
        syscall
        and  r2, r6, 1
        beq  r2, 0, j_next
        mov  r2, r0
        mov  r1, m_cons
        call print_str_int
j_next: inc  r6
        blt  r6, 4, join
        mov  r1, m_total
        ld   r2, [taken]
        call print_str_int
        mov  r1, m_sum
        ld   r2, [sum]
        call print_str_int
        mov  r1, m_rewait
        ld   r2, [rewaits]
        call print_str_int
        mov  r0, 0
        ret

; producer: put 1 ... PER_PRODUCER.
producer:
        mov  r6, 1
p_next: call lock
        mov  r7, 0                  ; r7: 1 once we have waited
p_test: ld   r2, [count]
        blt  r2, SLOTS, p_put       ; while the buffer is full: wait
        call count_rewait
        mov  r0, SYS_COND_WAIT
        mov  r1, not_full
        mov  r2, mutex
        syscall
        mov  r7, 1
        jmp  p_test
p_put:  ld   r2, [tail]
        shl  r3, r2, 2
        st   r6, [r3 + buf]
        inc  r2
        rem  r2, r2, SLOTS
        st   r2, [tail]
        ld   r2, [count]
        inc  r2
        st   r2, [count]
        mov  r0, SYS_COND_SIGNAL    ; wake a consumer, if one waits
        mov  r1, not_empty
        syscall
        call unlock
        inc  r6
        ble  r6, PER_PRODUCER, p_next
        mov  r0, 0
        ret

; consumer: take items until all 2 x PER_PRODUCER are taken; its value is
; how many it took.
consumer:
        mov  r8, 0                  ; r8: items this consumer took
c_next: call lock
        mov  r7, 0
c_test: ld   r2, [taken]
        bge  r2, 2 * PER_PRODUCER, c_done
        ld   r2, [count]
        bgt  r2, 0, c_take          ; while the buffer is empty: wait
        call count_rewait
        mov  r0, SYS_COND_WAIT
        mov  r1, not_empty
        mov  r2, mutex
        syscall
        mov  r7, 1
        jmp  c_test
c_take: ld   r2, [head]
        shl  r3, r2, 2
        ld   r4, [r3 + buf]
        inc  r2
        rem  r2, r2, SLOTS
        st   r2, [head]
        ld   r2, [count]
        dec  r2
        st   r2, [count]
        ld   r2, [sum]
        add  r2, r4
        st   r2, [sum]
        ld   r2, [taken]
        inc  r2
        st   r2, [taken]
        inc  r8
        mov  r0, SYS_COND_SIGNAL    ; wake a producer, if one waits
        mov  r1, not_full
        syscall
        ld   r2, [taken]            ; the last item: wake the other consumer,
        blt  r2, 2 * PER_PRODUCER, c_unlock
        mov  r0, SYS_COND_BROADCAST ; who would otherwise wait for ever
        mov  r1, not_empty
        syscall
c_unlock:
        call unlock
        jmp  c_next
c_done: call unlock
        mov  r0, r8
        ret

; count_rewait: r7 = 1 means the caller was woken and must wait again.
count_rewait:
        beq  r7, 0, cr_ret
        ld   r2, [rewaits]
        inc  r2
        st   r2, [rewaits]
cr_ret: ret

lock:   mov  r0, SYS_LOCK
        mov  r1, mutex
        syscall
        ret
unlock: mov  r0, SYS_UNLOCK
        mov  r1, mutex
        syscall
        ret
