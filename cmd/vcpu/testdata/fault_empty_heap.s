; A store through a plain number that lands just past the bss, where the
; heap would be if SBRK had grown it: the kill line names the heap, and a
; hint says the heap is empty, so the address was never the program's.
; RUN: run %s
; EXIT: 139
; STDERR: write past the end of heap segment
; STDERR:   hint: the heap is empty (SBRK never grew it)
; GOLDEN
        .data
n:      .word 7
        .text
main:   mov  r1, 12345              ; meant: mov r1, n
        st   r1, [r1]
        mov  r0, 0
        ret
