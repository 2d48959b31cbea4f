; work_procs.s — the same work as work_threads.s, done by N processes.
;
; The parent fills an array of 4096 words (4 pages), then forks N children. Each
; child sums its own copy of the whole array ROUNDS times. Every switch between
; them is a process switch: the TLB is flushed and the next child takes a miss
; on each page it touches again.
;
;   vcpu run --stats programs/work_procs.s
;   vcpu compare programs/work_procs.s programs/work_threads.s
;
; Look for: no output (the work is the point); with --stats, 1315 process
; switches, a TLB flush at each, and 2662 TLB misses where work_threads.s
; has 11. `vcpu compare` sets the two side by side; add --asid and the
; flushes (and most of the misses) disappear.
; In the window: the TLB panel flashes red at every switch between children,
; once the parent has filled the array alone (16431 instructions: press +
; to get there sooner).
        .equ N, 4
        .equ WORDS, 4096
        .equ ROUNDS, 2
        .bss
        .align 4
array:  .space WORDS * 4
        .text
main:   call fill
        mov  r5, 0
start:  mov  r0, SYS_FORK
        syscall
        beq  r0, 0, worker
        inc  r5
        blt  r5, N, start
        mov  r5, 0
reap:   mov  r0, SYS_WAIT
        mov  r1, -1
        syscall
        inc  r5
        blt  r5, N, reap
        mov  r0, 0
        ret

; worker: sum the array ROUNDS times; the exit status is the sum's low byte.
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
