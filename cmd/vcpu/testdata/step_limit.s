; At --max-steps the run says so and where every live thread was: its pc,
; source line and label, and for a waiting thread the call it waits in and
; for what (docs/RUN.md).
; RUN: run --max-steps 1000 %s
; EXIT: 124
; STDERR: vcpu: step limit: stopped after 1000 instructions (--max-steps 1000); live threads:
; STDERR: pid 1 (step_limit) tid 1 blocked in THREAD_JOIN at pc 0x
; STDERR: step_limit.s:21 (main+56): waits for join of tid 2
; STDERR: tid 2 running at pc
; STDERR: tid 3 sleeping in SLEEP at pc
; GOLDEN
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, spin
        syscall
        mov  r5, r0
        mov  r0, SYS_THREAD_CREATE
        mov  r1, nap
        syscall
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r5
        syscall
        ret
spin:   add  r1, 1
        jmp  spin
nap:    mov  r0, SYS_SLEEP
        mov  r1, 1000000
        syscall
        ret
