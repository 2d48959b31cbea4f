; Code is read-only: a store into it is a segmentation fault that says so.
; RUN: run %s
; EXIT: 139
; STDERR: write to code segment
; STDERR: [write_code.s:7]
main:   mov  r1, 7
        st   r1, [main]
        ret
