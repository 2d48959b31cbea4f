; Data is not executable: jumping into it is a segmentation fault.
; RUN: run %s
; EXIT: 139
; STDERR: execute in data segment
        .data
blob:   .word 0
        .text
main:   jmp  blob
