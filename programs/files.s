; files.s — processes share files, one after the other.
;
; The machine has a small file system in memory, shared by every process of
; the run. Here a child writes a file and exits; its memory is gone, but the
; file stays, and the parent reads it afterwards.
;
;   vcpu run programs/files.s
;
; Look for: the child's line, read back by the parent after the child ended.
; With --stats: 2 process switches and 2 TLB flushes: to the child (the
; parent waits) and back.
; Try `--fs DIR --fs-save`: the machine's files are read from DIR and
; written back to it when the run ends, so diary.txt appears in DIR.
        .data
name:   .asciz "diary.txt"
entry:  .ascii "the child was here\n"
        .equ LEN, 19
        .bss
buf:    .space 32
        .text
main:   mov  r0, SYS_FORK
        syscall
        beq  r0, 0, child
        mov  r1, r0
        mov  r0, SYS_WAIT           ; let the child finish first
        syscall

        mov  r0, SYS_OPEN
        mov  r1, name
        mov  r2, O_READ
        syscall
        blt  r0, 0, fail            ; e.g. ENOENT if nobody wrote it
        mov  r5, r0
        mov  r0, SYS_READ
        mov  r1, r5
        mov  r2, buf
        mov  r3, 32
        syscall
        mov  r3, r0
        mov  r0, SYS_WRITE
        mov  r1, STDOUT
        mov  r2, buf
        syscall
        mov  r0, 0
        ret
fail:   mov  r0, 1
        ret

child:  mov  r0, SYS_OPEN
        mov  r1, name
        mov  r2, O_WRITE            ; create (or empty) the file
        syscall
        mov  r1, r0
        mov  r0, SYS_WRITE
        mov  r2, entry
        mov  r3, LEN
        syscall
        mov  r0, 0
        ret
