; Falling off the end of main without ret: the fault says so and where the
; code ended.
; RUN: run %s
; EXIT: 139
; STDOUT: hi
; STDERR: vcpu: pid 1 (fault_fall_off) tid 1 killed: segmentation fault (execute past the end of code segment) at 0x00001024 (pc 0x00001024)
; STDERR:   hint: execution ran off the end of the code after main+32 (fault_fall_off.s:16): a missing ret, or SYS_EXIT?
; GOLDEN
        .data
msg:    .ascii "hi\n"
        .text
main:   mov  r0, SYS_WRITE
        mov  r1, STDOUT
        mov  r2, msg
        mov  r3, 3
        syscall
