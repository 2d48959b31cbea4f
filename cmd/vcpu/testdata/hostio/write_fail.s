; Writes 4 KiB to stdout over and over until a write fails, then exits with
; the errno: 32 (EPIPE) once the reader has gone, 5 (EIO) for a full disk.
; the TestFinding10 tests run it (no RUN line:
; with a working stdout it never ends).
        .equ CHUNK, 4096
        .bss
buf:    .space CHUNK
        .text
main:   mov  r1, buf
        mov  r2, 'x'
fill:   stb  r2, [r1]
        inc  r1
        bltu r1, buf + CHUNK, fill
again:  mov  r0, SYS_WRITE
        mov  r1, STDOUT
        mov  r2, buf
        mov  r3, CHUNK
        syscall
        bge  r0, 0, again
        neg  r0, r0
        ret
