; threads_share.s — threads share their process's memory: a write is seen at once.
;
; The main thread starts a second thread, then waits in a loop for `value`
; to change, giving up the CPU (YIELD) each time it finds it unchanged. The
; second thread stores 2 there. The main thread sees the 2 at the same
; address the moment it runs again: there is one copy of `value`, in the one
; address space both threads use. Compare fork_copy.s, where the child's
; write never reaches the parent.
;
;   vcpu run programs/threads_share.s
;
; Look for: the thread's write and the main thread's read at the same
; address, and the main thread seeing the new value.
; With --stats: thread switches, but no process switch and no TLB flush:
; switching between threads of one process keeps the TLB.
; In the window: one process's frames; the timeline shows the two threads
; taking turns.
        .include "io.s"
        .data
value:  .word 1
m_wrote: .asciz "thread 2 writes value = 2 at "
m_saw:  .asciz "main thread sees value = "
m_at:   .asciz " at "
m_tries: .asciz "(it gave up the CPU "
m_times: .asciz " time(s) while it waited)\n"
        .text
main:   mov  r0, SYS_THREAD_CREATE
        mov  r1, writer
        syscall
        mov  r6, r0                 ; r6: the writer's tid
        mov  r7, 0                  ; r7: how often we yielded
wait:   ld   r1, [value]
        bne  r1, 1, changed
        mov  r0, SYS_YIELD          ; let the other thread run
        syscall
        inc  r7
        jmp  wait
changed:
        mov  r1, m_saw
        call print_str
        ld   r1, [value]
        call print_int
        mov  r1, m_at
        call print_str
        mov  r1, value
        call print_hex
        call print_nl
        mov  r1, m_tries
        call print_str
        mov  r1, r7
        call print_int
        mov  r1, m_times
        call print_str
        mov  r0, SYS_THREAD_JOIN
        mov  r1, r6
        syscall
        mov  r0, 0
        ret

; writer: say what it is about to do, then do it. (Saying it first keeps
; the lines apart: the main thread prints only once it sees the write.)
writer: mov  r1, m_wrote
        call print_str
        mov  r1, value
        call print_hex
        call print_nl
        mov  r1, 2
        st   r1, [value]            ; the only copy: the main thread's too
        mov  r0, 0
        ret
