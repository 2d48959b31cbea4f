; philosophers.s — five philosophers, five forks: a deadlock, and its cure.
;
; Five threads sit at a round table with a fork (a mutex) between each two.
; To eat, a philosopher needs both forks beside it. Here each one takes
; the fork on its left, then the one on its right; and since each gives
; the CPU away between the two (YIELD, as a preemption at that moment
; would), all five hold their left fork when they reach for the right one.
; Each waits for its neighbour, in a circle: a deadlock. vcpu notices that
; every thread is blocked and none can wake the others, stops, and reports
; who waits for what.
;
; The cure is a rule that breaks the circle: take the lower-numbered fork
; first. Philosopher 4 then reaches for fork 0 before fork 4, so it can
; never hold one fork while its neighbour waits for it in a circle.
; philosophers_ordered.s runs this program with the rule on (its argument,
; r1 of the main thread, set to 1).
;
;   vcpu run programs/philosophers.s
;   vcpu run programs/philosophers_ordered.s
;
; Look for: the deadlock report on stderr: each philosopher waits for a
; fork held by the next, the main thread waits to join the first; and exit
; status 3 (`echo $?`). Ordered, every philosopher eats its 3 meals.
; In the window: all five threads blocked at once, and the run stops.
        .include "io.s"
        .equ N, 5
        .equ MEALS, 3
        .data
ordered: .word 0                    ; 1: take the lower-numbered fork first
seated_all: .word 0                 ; a semaphore: posted once everyone is seated
fork0:  .word 0                     ; the forks: five mutexes, named by address
fork1:  .word 0
fork2:  .word 0
fork3:  .word 0
fork4:  .word 0
names:  .word m_p0, m_p1, m_p2, m_p3, m_p4
m_p0:   .asciz "philosopher 0 eats, meal "
m_p1:   .asciz "philosopher 1 eats, meal "
m_p2:   .asciz "philosopher 2 eats, meal "
m_p3:   .asciz "philosopher 3 eats, meal "
m_p4:   .asciz "philosopher 4 eats, meal "
m_sit:  .asciz "5 philosophers sit down; each takes its left fork, then its right\n"
m_sit_ordered: .asciz "5 philosophers sit down; each takes its lower-numbered fork first\n"
m_done: .asciz "everyone ate\n"
        .bss
tids:   .space N * 4
        .text
main:   st   r1, [ordered]          ; r1: the argument, 0 from the command line
        mov  r2, r1
        mov  r1, m_sit
        beq  r2, 0, said
        mov  r1, m_sit_ordered
said:   call print_str
        mov  r0, SYS_SEM_INIT       ; the philosophers wait until all are seated
        mov  r1, seated_all
        mov  r2, 0
        syscall
        mov  r6, 0
start:  mov  r0, SYS_THREAD_CREATE
        mov  r1, philosopher
        mov  r2, r6                 ; its number, 0 ... 4
        syscall
        shl  r2, r6, 2
        st   r0, [r2 + tids]
        inc  r6
        blt  r6, N, start
        mov  r6, 0
go:     mov  r0, SYS_SEM_POST       ; let them start, all together
        mov  r1, seated_all
        syscall
        inc  r6
        blt  r6, N, go
        mov  r6, 0
join:   shl  r2, r6, 2
        ld   r1, [r2 + tids]
        mov  r0, SYS_THREAD_JOIN
        syscall
        inc  r6
        blt  r6, N, join
        mov  r1, m_done
        call print_str
        mov  r0, 0
        ret

; philosopher: r1 = its number i; left fork i, right fork (i + 1) % N.
philosopher:
        mov  r6, r1
        mov  r0, SYS_SEM_WAIT       ; until everyone is seated
        mov  r1, seated_all
        syscall
        shl  r7, r6, 2
        add  r7, fork0              ; r7: the left fork
        add  r8, r6, 1
        rem  r8, r8, N
        shl  r8, r8, 2
        add  r8, fork0              ; r8: the right fork
        ld   r2, [ordered]
        beq  r2, 0, seated
        bltu r7, r8, seated         ; ordered: r7 is the lower of the two
        mov  r2, r7
        mov  r7, r8
        mov  r8, r2
seated: mov  r9, 1                  ; r9: the meal
meal:   mov  r0, SYS_LOCK           ; the first fork
        mov  r1, r7
        syscall
        mov  r0, SYS_YIELD          ; let the others reach for theirs
        syscall
        mov  r0, SYS_LOCK           ; the second fork: here they all wait
        mov  r1, r8
        syscall
        shl  r1, r6, 2
        ld   r1, [r1 + names]
        mov  r2, r9
        call print_str_int          ; eat
        mov  r0, SYS_UNLOCK
        mov  r1, r8
        syscall
        mov  r0, SYS_UNLOCK
        mov  r1, r7
        syscall
        inc  r9
        ble  r9, MEALS, meal
        mov  r0, 0
        ret
