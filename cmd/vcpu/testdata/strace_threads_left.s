; --strace on a main that returns while its threads still run: the
; process's end says how many threads it took along, the beginner's
; silent bug of a missing THREAD_JOIN.
; RUN: run --strace %s
; EXIT: 0
; STDERR: [pid 1] +++ strace_threads_left ended: returned from main, status 0; 2 other threads had not ended and end with it +++
; GOLDEN
counter: .word 0
        .text
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, work
        syscall
        mov  r0, SYS_THREAD_CREATE
        mov  r1, work
        syscall
        mov  r0, 0
        ret
work:   mov  r5, 1000
loop:   ld   r6, [counter]
        add  r6, 1
        st   r6, [counter]
        dec  r5
        bne  r5, 0, loop
        ret
