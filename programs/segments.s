; segments.s — where things live: an address in each segment of a process.
;
; A process's memory is made of segments, each at its own place in the
; virtual address space: code (the instructions), data (initialised
; variables), bss (zeroed variables), the heap (grown at run time with
; SBRK) and one stack per thread. This program prints an address in each,
; then starts two threads, one after the other, and each prints the
; address of a variable on its own stack.
;
;   vcpu run programs/segments.s
;
; Look for: main in the code segment, which starts at 0x00001000 (main
; comes after the library's routines, included first); data and bss each
; start on a page (0x1000) of their own, the heap right after the bss; the main thread's stack just
; below 0x80000000; and each new thread's stack in its own slot further
; down (16 KiB of stack plus a 4 KiB guard page apart). Both threads got
; the same slot: the second started after the first had ended.
; With --stats: 4 thread switches (to each thread and back), no TLB flush:
; one process, one address space.
; In the window: the memory map shows each segment's frames in its colour.
        .include "io.s"
        .data
a_word: .word 42                    ; in data
m_code: .asciz "code   main       "
m_data: .asciz "data   a_word     "
m_bss:  .asciz "bss    a_buffer   "
m_heap: .asciz "heap   sbrk(4096) "
m_stk:  .asciz "stack  main's     "
m_thr:  .asciz "stack  thread "
m_pad:  .asciz "   "
        .bss
a_buffer: .space 64                 ; in bss
        .text
main:   mov  r1, m_code
        mov  r2, main
        call show
        mov  r1, m_data
        mov  r2, a_word
        call show
        mov  r1, m_bss
        mov  r2, a_buffer
        call show
        mov  r0, SYS_SBRK           ; grow the heap by a page:
        mov  r1, 4096               ; SBRK returns its old end, the new memory
        syscall
        mov  r1, m_heap
        mov  r2, r0
        call show
        push 7                      ; a word on the main thread's stack
        mov  r1, m_stk
        mov  r2, sp
        call show
        add  sp, 4
        mov  r6, 0
threads:
        mov  r0, SYS_THREAD_CREATE
        mov  r1, thread
        syscall
        mov  r1, r0
        mov  r0, SYS_THREAD_JOIN
        syscall
        inc  r6
        blt  r6, 2, threads
        mov  r0, 0
        ret

; thread: print the address of a word on this thread's own stack.
thread: push 7
        mov  r1, m_thr
        call print_str
        mov  r0, SYS_GETTID
        syscall
        mov  r1, r0
        call print_int
        mov  r1, m_pad
        mov  r2, sp
        call show
        add  sp, 4
        mov  r0, 0
        ret

; show: print the string at r1, the address in r2 in hex, and a newline.
show:   push r2
        call print_str
        pop  r1
        call print_hex
        jmp  print_nl
