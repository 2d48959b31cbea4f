; prodcons.s — producer and consumer threads share a bounded buffer, with semaphores.
;
; The buffer has 4 slots. Two counting semaphores keep the count: `empty`
; (free slots, starting at 4) and `full` (items waiting, starting at 0).
; The producer waits on `empty` before it puts an item and posts `full`
; after; the consumer waits on `full` and posts `empty`. A third, a mutex,
; guards the buffer's indices. So the producer can run at most 4 items
; ahead; then SEM_WAIT blocks it until the consumer frees a slot, and the
; consumer blocks on an empty buffer until the producer fills one. Here the
; consumer is the slower one: it spends a while on each item.
;
;   vcpu run programs/prodcons.s
;   vcpu run --quantum 20 programs/prodcons.s
;
; Look for: while the consumer works on item 1, the producer puts 2, 3, 4
; and 5: the 4 slots are full, and it waits. From then on it puts one item
; each time the consumer takes one. Every item is taken once, in order:
; sum 78. With a short quantum the order of the lines changes, the result
; does not.
; With --stats: thread switches only (one process), many at the blocks.
; In the window: the threads block and wake in turn on the timeline.
        .include "io.s"
        .equ ITEMS, 12
        .equ SLOTS, 4
        .equ WORK, 1000             ; loop turns the consumer spends on an item
        .data
empty:  .word 0                     ; semaphore: free slots
full:   .word 0                     ; semaphore: items in the buffer
mutex:  .word 0                     ; guards head and tail
buf:    .space SLOTS * 4
head:   .word 0                     ; next slot to take from
tail:   .word 0                     ; next slot to put into
m_put:  .asciz "producer put "
m_took: .asciz "consumer took "
m_sum:  .asciz "sum of what was taken: "
        .text
main:   mov  r0, SYS_SEM_INIT
        mov  r1, empty
        mov  r2, SLOTS
        syscall
        mov  r0, SYS_SEM_INIT
        mov  r1, full
        mov  r2, 0
        syscall
        mov  r0, SYS_THREAD_CREATE
        mov  r1, producer
        syscall
        mov  r6, r0
        mov  r0, SYS_THREAD_CREATE
        mov  r1, consumer
        syscall
        mov  r7, r0
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r6
        syscall
        mov  r0, SYS_THREAD_JOIN    ; the consumer's value: the sum
        mov  r1, r7
        syscall
        mov  r2, r0
        mov  r1, m_sum
        call print_str_int
        mov  r0, 0
        ret

; producer: put 1 ... ITEMS into the buffer.
producer:
        mov  r6, 1
p_next: mov  r0, SYS_SEM_WAIT       ; a free slot (blocks while none)
        mov  r1, empty
        syscall
        mov  r0, SYS_LOCK
        mov  r1, mutex
        syscall
        ld   r7, [tail]
        shl  r8, r7, 2
        st   r6, [r8 + buf]
        inc  r7
        rem  r7, r7, SLOTS
        st   r7, [tail]
        mov  r0, SYS_UNLOCK
        mov  r1, mutex
        syscall
        mov  r0, SYS_SEM_POST       ; one more item
        mov  r1, full
        syscall
        mov  r1, m_put
        mov  r2, r6
        call print_str_int
        inc  r6
        ble  r6, ITEMS, p_next
        mov  r0, 0
        ret

; consumer: take ITEMS items; its value is their sum.
consumer:
        mov  r6, 0                  ; r6: items taken
        mov  r9, 0                  ; r9: their sum
c_next: mov  r0, SYS_SEM_WAIT       ; an item (blocks while none)
        mov  r1, full
        syscall
        mov  r0, SYS_LOCK
        mov  r1, mutex
        syscall
        ld   r7, [head]
        shl  r8, r7, 2
        ld   r10, [r8 + buf]
        inc  r7
        rem  r7, r7, SLOTS
        st   r7, [head]
        mov  r0, SYS_UNLOCK
        mov  r1, mutex
        syscall
        mov  r0, SYS_SEM_POST       ; one more free slot
        mov  r1, empty
        syscall
        add  r9, r10
        mov  r1, m_took
        mov  r2, r10
        call print_str_int
        mov  r11, WORK              ; using the item takes a while:
c_work: dec  r11                    ; the consumer is the slower of the two
        bne  r11, 0, c_work
        inc  r6
        blt  r6, ITEMS, c_next
        mov  r0, r9
        ret
