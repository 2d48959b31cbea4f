; work_threads.s — the same work as work_procs.s, done by N threads of one process.
;
; The main thread fills an array of 4096 words (4 pages), then starts N threads.
; Each sums the whole array ROUNDS times. The threads share the array, so the TLB
; entries one thread loads serve the next: a switch between them keeps the TLB.
;
;   vcpu run --stats programs/work_threads.s
;   vcpu compare programs/work_procs.s programs/work_threads.s
;
; Look for: with --stats, 1315 thread switches, 0 TLB flushes and 11 TLB
; misses in all: the same switches as work_procs.s, without the flushes.
; In the window: the TLB keeps its entries across the switches, once the
; main thread has filled the array alone (press + to get there sooner).
        .equ N, 4
        .equ WORDS, 4096
        .equ ROUNDS, 2
        .bss
        .align 4
array:  .space WORDS * 4
tids:   .space N * 4
        .text
main:   call fill
        mov  r5, 0
start:  mov  r0, SYS_THREAD_CREATE
        mov  r1, worker
        mov  r2, r5
        syscall
        shl  r6, r5, 2
        st   r0, [r6 + tids]
        inc  r5
        blt  r5, N, start
        mov  r5, 0
join:   shl  r6, r5, 2
        ld   r1, [r6 + tids]
        mov  r0, SYS_THREAD_JOIN
        syscall
        inc  r5
        blt  r5, N, join
        mov  r0, 0
        ret

; worker: sum the array ROUNDS times; the value is the sum's low byte.
worker: mov  r0, 0
        mov  r7, 0
w_round:
        mov  r6, array
        mov  r8, array + WORDS * 4
w_sum:  ld   r9, [r6]
        add  r0, r9
        add  r6, 4
        bltu r6, r8, w_sum
        inc  r7
        blt  r7, ROUNDS, w_round
        and  r0, 0xFF
        ret

; fill: array[i] = i.
fill:   mov  r6, 0
f_loop: shl  r7, r6, 2
        st   r6, [r7 + array]
        inc  r6
        blt  r6, WORDS, f_loop
        ret
