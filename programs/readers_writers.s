; readers_writers.s — many readers at once, or one writer alone: a read-write lock.
;
; A record of two words, `a` and `b`, always adds up to 1000, except in
; the middle of a write: the writer moves some amount from a to b in two
; steps, and gives the CPU away in between. Readers may share the record
; (reading changes nothing), but a writer must have it alone. The lock is
; built from a mutex and a condition variable: a reader waits while a
; writer is inside or waiting (so a stream of readers cannot starve the
; writer); a writer waits while anyone is inside. Each side broadcasts when
; it leaves, and every woken thread tests its condition again.
; Three reader threads read 20 times each; one writer writes 5 times.
;
;   vcpu run programs/readers_writers.s
;   vcpu run --quantum 7 programs/readers_writers.s
;
; Look for: no reader ever saw a half-written record, the writer never had
; company, and yet several readers were inside at the same time.
; With --stats: one process; thread switches at every YIELD and wait.
; In the window: one CPU, so the readers take turns on the timeline even
; while they are inside together; the writer is listed as blocked on the
; condition variable until the last reader leaves.
        .include "io.s"
        .equ READERS, 3
        .equ READS, 20
        .equ WRITES, 5
        .data
a:      .word 600                   ; the record: a + b = 1000
b:      .word 400
mutex:  .word 0                     ; guards the counts below
ok:     .word 0                     ; condition: the counts changed
readers_in: .word 0                 ; readers inside now
writer_in: .word 0                  ; 1 while the writer is inside
writers_waiting: .word 0
most_readers: .word 0               ; the most readers inside at once
torn:   .word 0                     ; reads that saw a + b != 1000
crowded: .word 0                    ; writes that found a reader inside
reads:  .word 0
writes: .word 0
m_reads: .asciz "reads: "
m_torn: .asciz "reads that saw a half-written record: "
m_most: .asciz "most readers inside at once: "
m_writes: .asciz "writes: "
m_crowd: .asciz "writes that found a reader inside: "
m_sum:  .asciz "a + b at the end: "
        .bss
tids:   .space (READERS + 1) * 4
        .text
main:   mov  r6, 0
start:  mov  r0, SYS_THREAD_CREATE
        mov  r1, reader
        blt  r6, READERS, create
        mov  r1, writer             ; the last one
create: syscall
        shl  r2, r6, 2
        st   r0, [r2 + tids]
        inc  r6
        ble  r6, READERS, start
        mov  r6, 0
join:   shl  r2, r6, 2
        ld   r1, [r2 + tids]
        mov  r0, SYS_THREAD_JOIN
        syscall
        inc  r6
        ble  r6, READERS, join
        mov  r1, m_reads
        ld   r2, [reads]
        call print_str_int
        mov  r1, m_torn
        ld   r2, [torn]
        call print_str_int
        mov  r1, m_most
        ld   r2, [most_readers]
        call print_str_int
        mov  r1, m_writes
        ld   r2, [writes]
        call print_str_int
        mov  r1, m_crowd
        ld   r2, [crowded]
        call print_str_int
        mov  r1, m_sum
        ld   r2, [a]
        ld   r3, [b]
        add  r2, r3
        call print_str_int
        mov  r0, 0
        ret

; reader: READS times, read the record under the read lock.
reader: mov  r6, 0
r_next: call read_lock
        ld   r7, [a]
        mov  r0, SYS_YIELD          ; take a while: let others in meanwhile
        syscall
        ld   r8, [b]
        add  r7, r8
        beq  r7, 1000, r_whole
        call lock
        ld   r2, [torn]
        inc  r2
        st   r2, [torn]
        call unlock
r_whole:
        call read_unlock
        inc  r6
        blt  r6, READS, r_next
        mov  r0, 0
        ret

; writer: WRITES times, move 10 from a to b under the write lock.
writer: mov  r6, 0
w_next: call write_lock
        ld   r2, [a]
        sub  r2, 10
        st   r2, [a]                ; half-written: a + b = 990 now
        mov  r0, SYS_YIELD          ; the others run now: none may come in
        syscall
        ld   r2, [readers_in]       ; did a reader get in meanwhile?
        beq  r2, 0, w_alone
        ld   r2, [crowded]
        inc  r2
        st   r2, [crowded]
w_alone: ld  r2, [b]
        add  r2, 10
        st   r2, [b]
        call write_unlock
        inc  r6
        blt  r6, WRITES, w_next
        mov  r0, 0
        ret

; read_lock: wait while a writer is inside or waiting; then count in.
read_lock:
        call lock
rl_test: ld  r2, [writer_in]
        ld   r3, [writers_waiting]
        or   r2, r3
        beq  r2, 0, rl_in
        call wait_ok
        jmp  rl_test
rl_in:  ld   r2, [readers_in]
        inc  r2
        st   r2, [readers_in]
        ld   r3, [most_readers]
        ble  r2, r3, rl_done
        st   r2, [most_readers]
rl_done: ld  r2, [reads]
        inc  r2
        st   r2, [reads]
        jmp  unlock

; read_unlock: count out; the last reader out lets a writer in.
read_unlock:
        call lock
        ld   r2, [readers_in]
        dec  r2
        st   r2, [readers_in]
        bne  r2, 0, unlock
        call broadcast_ok
        jmp  unlock

; write_lock: wait while anyone is inside; then go in alone.
write_lock:
        call lock
        ld   r2, [writers_waiting]
        inc  r2
        st   r2, [writers_waiting]
wl_test: ld  r2, [writer_in]
        ld   r3, [readers_in]
        or   r2, r3
        beq  r2, 0, wl_in
        call wait_ok
        jmp  wl_test
wl_in:  ld   r2, [writers_waiting]
        dec  r2
        st   r2, [writers_waiting]
        mov  r2, 1
        st   r2, [writer_in]
        ld   r2, [writes]
        inc  r2
        st   r2, [writes]
        jmp  unlock

; write_unlock: go out, and wake everyone waiting.
write_unlock:
        call lock
        mov  r2, 0
        st   r2, [writer_in]
        call broadcast_ok
        jmp  unlock

lock:   mov  r0, SYS_LOCK
        mov  r1, mutex
        syscall
        ret
unlock: mov  r0, SYS_UNLOCK
        mov  r1, mutex
        syscall
        ret
wait_ok: mov r0, SYS_COND_WAIT      ; releases the mutex while it waits
        mov  r1, ok
        mov  r2, mutex
        syscall
        ret
broadcast_ok:
        mov  r0, SYS_COND_BROADCAST
        mov  r1, ok
        syscall
        ret
