; Running into data assembled in .text: the fault names the label.
; RUN: run %s
; EXIT: 132
; STDERR: killed: illegal instruction (reserved bits set in 0x73706f6f) at 0x00001024 (pc 0x00001024); the pc is at msg in the code segment
; STDERR:   hint: msg holds data (.ascii, .word, ...), not an instruction; execution ran into it after main+32 (fault_data_exec.s:11)
; GOLDEN
main:   mov  r0, SYS_WRITE
        mov  r1, STDOUT
        mov  r2, msg
        mov  r3, 5
        syscall
msg:    .ascii "oops\n"
