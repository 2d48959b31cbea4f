; --strace through locks, forks and a kill: a blocked LOCK shows what it
; waits for and then its result; a child's end shows its status; a thread
; blocked when its process is killed shows that its call never returns; a
; thread's value that looks like an errno is shown as the value it is.
; RUN: run --strace %s
; EXIT: 0
; STDERR: [pid 1 tid 2] LOCK(&m) blocks: waits for lock 0x00002000 (m) held by tid 1
; STDERR: [pid 1 tid 1] UNLOCK(&m) = 0
; STDERR: [pid 1 tid 2] LOCK(&m) = 0 (after
; STDERR: [pid 1 tid 1] THREAD_JOIN(2) = -35 (after
; STDERR: [pid 1 tid 1] FORK() = 2
; STDERR: [pid 2 tid 3] FORK() = 0
; STDERR: [pid 2 tid 3] PIPE(&fds) = 0 [3, 4]
; STDERR: [pid 2 tid 3] READ(3, &buf, 1) blocks: waits for data in pipe 1 (empty)
; STDERR: [pid 1 tid 1] KILL(2) = 0
; STDERR: [pid 2 tid 3] READ(3, &buf, 1) = ? (its process ended while it waited)
; STDERR: [pid 2] +++ strace_block ended: killed by pid 1, status 137 +++
; STDERR: [pid 1 tid 1] WAIT(2) = 137
; GOLDEN
        .include "lib/print.s"
        .data
m:      .word 0
fds:    .word 0, 0
        .bss
buf:    .space 4
        .text
main:   sys1 LOCK, m
        sys2 THREAD_CREATE, taker, 0
        mov  r5, r0
        sys0 YIELD
        sys1 UNLOCK, m
        sys1 THREAD_JOIN, r5
        sys0 FORK
        beq  r0, 0, child
        mov  r5, r0
        sys0 YIELD
        sys1 KILL, r5
        sys1 WAIT, r5
        mov  r0, 0
        ret
taker:  sys1 LOCK, m
        sys1 UNLOCK, m
        mov  r0, EDEADLK            ; a value the join hands back, not its error
        ret
child:  sys1 PIPE, fds
        ld   r1, [fds]
        sys3 READ, r1, buf, 1
        ret
