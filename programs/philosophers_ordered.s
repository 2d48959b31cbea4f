; philosophers_ordered.s — philosophers.s with the cure: lower-numbered fork first.
;
; This program only starts philosophers.s (SPAWN, with argument 1, which
; turns the rule on) and waits for it: the philosophers are the same, only
; the order in which each takes its two forks changes. No circle of
; waiting can form, so no deadlock: every philosopher eats its meals.
;
;   vcpu run programs/philosophers_ordered.s
;
; Look for: 15 meals, 3 for each philosopher, neighbours taking turns
; with the fork between them, and exit status 0. Compare `vcpu run programs/philosophers.s`.
; With --stats: 2 processes: this one, and the philosophers it spawned.
        .data
path:   .asciz "philosophers.s"     ; beside this file: SPAWN looks there
        .text
main:   mov  r0, SYS_SPAWN
        mov  r1, path
        mov  r2, 1                  ; its main thread's r1: take forks in order
        syscall
        blt  r0, 0, failed
        mov  r1, r0
        mov  r0, SYS_WAIT           ; its exit status becomes ours
        syscall
failed: ret
