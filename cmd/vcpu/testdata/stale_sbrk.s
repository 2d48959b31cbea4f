; A pointer kept after SBRK shrinks the heap is stale: using it faults, even though
; the address was valid a moment ago, and the frame it pointed to went back to the pool.
; RUN: run %s
; EXIT: 139
; STDOUT: stored 77
; STDERR: past the end of heap segment
        .include "lib/print.s"
        .data
m1:     .asciz "stored "
        .text
main:   sys1 SBRK, 4096
        mov  r7, r0                 ; r7: kept across calls (r0-r5 are not)
        mov  r6, 77
        st   r6, [r7 + 100]
        ld   r2, [r7 + 100]
        mov  r1, m1
        call say
        sys1 SBRK, -4096
        ld   r2, [r7 + 100]
        mov  r0, 0
        ret
