; --strace shows each system call as it happens, in order with the output:
; strings as strings, data addresses by label, a failure's errno and why,
; calls that block when they block and when they complete, a process's end.
; RUN: run --strace %s
; EXIT: 0
; STDOUT: hello
; STDERR: [pid 1 tid 1] WRITE(1, "hello\n", 6) = 6
; STDERR: [pid 1 tid 1] WRITE(1, &short, 13) = -14 EFAULT (the buffer runs past the end of the data segment: 3 of its 13 bytes fit)
; STDERR: [pid 1 tid 1] CLOSE(7) = -9 EBADF (the descriptor is not open)
; STDERR: [pid 1 tid 1] READ(1, &buf, 4) = -9 EBADF (the descriptor is not open for reading)
; STDERR: [pid 1 tid 1] OPEN("no\x1b[2Jfile", O_READ) = -2 ENOENT (no such file)
; STDERR: [pid 1 tid 1] UNLOCK(&lk) = -1 EPERM (the lock is not held)
; STDERR: [pid 1 tid 1] syscall99() = -38 ENOSYS (no system call has that number)
; STDERR: [pid 1 tid 1] PIPE(&fds) = 0 [3, 4]
; STDERR: [pid 1 tid 1] THREAD_CREATE(reader, 0) = 2
; STDERR: [pid 1 tid 2] READ(3, &buf, 4) blocks: waits for data in pipe 1 (empty)
; STDERR: [pid 1 tid 2] READ(3, "ping", 4) = 4 (after
; STDERR: [pid 1 tid 1] SLEEP(50) blocks: sleeps until tick 102
; STDERR: [pid 1 tid 1] SLEEP(50) = 0 (after 50 ticks blocked)
; STDERR: +++ strace_calls ended: returned from main, status 0 +++
; GOLDEN
        .include "lib/print.s"
        .data
hello:  .ascii "hello\n"
lk:     .word 0
fds:    .word 0, 0
path:   .asciz "no\x1b[2Jfile"
ping:   .ascii "ping"
short:  .ascii "hi\n"
        .bss
buf:    .space 4
        .text
main:   sys3 WRITE, STDOUT, hello, 6
        sys3 WRITE, STDOUT, short, 13
        sys1 CLOSE, 7
        sys3 READ, STDOUT, buf, 4
        sys2 OPEN, path, O_READ
        sys1 UNLOCK, lk
        mov  r0, 99
        syscall
        sys1 PIPE, fds
        sys2 THREAD_CREATE, reader, 0
        mov  r5, r0
        sys0 YIELD
        ld   r1, [fds + 4]
        sys3 WRITE, r1, ping, 4
        sys1 SLEEP, 50
        sys1 THREAD_JOIN, r5
        mov  r0, 0
        ret
reader: ld   r1, [fds]
        sys3 READ, r1, buf, 4
        ret
