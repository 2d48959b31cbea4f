; io.s — print numbers and strings on stdout, read lines and numbers from stdin.
;
; Part of vcpu's built-in library: `.include "io.s"` works from any folder
; (a file named io.s beside your program is taken instead), and including it
; twice assembles it once. `vcpu lib io.s` prints this file.
;
; The calling convention (every routine here keeps it):
;   arguments in r1, r2, r3, r4; the result in r0 (a second one in r1);
;   a call may change r0-r5; r6-r13, fp (r14) and sp (r15) are preserved.
; Each routine's header says which registers it really changes.
;
; Thread-safe: the routines keep nothing in memory of their own, only on the
; caller's stack, so any number of threads may call them at once. Each print
; is a single WRITE system call, so two threads' prints never mix within
; one call: print a whole line with one call (print_str, print_str_int)
; and lines never mix.
;
; The routines' own labels start with __io_; don't start yours that way.
; This file puts its code in .text and leaves the assembler there: after
; .include "io.s", say which section comes next (.data, .text, ...).

        .text

; print_str: write a 0-terminated string to stdout.
;   r1: address of the string
;   r0: bytes written (WRITE's result: negative on error)
;   changes r0-r3
print_str:
        mov  r2, r1                 ; r2 walks to the terminating 0
__io_ps_scan:
        ldb  r3, [r2]
        beq  r3, 0, __io_ps_write
        inc  r2
        jmp  __io_ps_scan
__io_ps_write:
        sub  r3, r2, r1             ; length
        mov  r2, r1
        mov  r1, STDOUT
        mov  r0, SYS_WRITE
        syscall
        ret

; print_int: write a signed decimal number to stdout: -2147483648 ... 2147483647.
;   r1: the number
;   r0: bytes written
;   changes r0-r4
; print_uint: the same, read as unsigned: 0 ... 4294967295.
;   r1: the number
;   r0: bytes written
;   changes r0-r4
;
; Both build the text in 12 bytes of stack (enough for "-2147483648"),
; from its end: the last digit first, the sign last; then one WRITE.
print_uint:
        mov  r4, 0                  ; r4 < 0 means "print a minus sign"
        jmp  __io_dec
print_int:
        mov  r4, r1
        bge  r1, 0, __io_dec
        neg  r1, r1                 ; -2147483648 stays 0x80000000: right, read as unsigned
__io_dec:
        push fp
        mov  fp, sp
        sub  sp, 12
        mov  r2, fp                 ; the digits end at fp
        call __io_utoa
        bge  r4, 0, __io_write_frame
        dec  r2
        mov  r3, '-'
        stb  r3, [r2]
; __io_write_frame (internal): the end that print_int, print_hex and
; print_str_int share: WRITE the bytes from r2 up to fp, then drop the
; frame that `push fp / mov fp, sp` made, and return.
__io_write_frame:
        sub  r3, fp, r2             ; length
        mov  r1, STDOUT
        mov  r0, SYS_WRITE
        syscall
        mov  sp, fp
        pop  fp
        ret

; __io_utoa (internal): write the decimal digits of r1, read as unsigned,
; into the bytes just below r2, the last digit first. r2 = the first digit.
; Changes r1-r3.
__io_utoa:
        remu r3, r1, 10
        add  r3, '0'
        dec  r2
        stb  r3, [r2]
        divu r1, r1, 10
        bne  r1, 0, __io_utoa
        ret

; print_hex: write a number as 0x and 8 lowercase hex digits: 0x0000002a.
;   r1: the number
;   r0: bytes written
;   changes r0-r4
print_hex:
        push fp
        mov  fp, sp
        sub  sp, 12                 ; 10 bytes used: "0x" and 8 digits
        mov  r2, fp
__io_hex_digit:
        and  r3, r1, 15
        add  r3, '0'
        ble  r3, '9', __io_hex_store
        add  r3, 'a' - '0' - 10
__io_hex_store:
        dec  r2
        stb  r3, [r2]
        shr  r1, r1, 4
        sub  r4, fp, r2
        blt  r4, 8, __io_hex_digit  ; always 8 digits, leading zeros too
        mov  r3, 'x'
        dec  r2
        stb  r3, [r2]
        mov  r3, '0'
        dec  r2
        stb  r3, [r2]
        jmp  __io_write_frame

; print_char: write one byte to stdout.
;   r1: the byte (its low 8 bits)
;   r0: bytes written
;   changes r0-r3
print_char:
        push r1                     ; little-endian: the low byte is at sp
        mov  r2, sp
        mov  r3, 1
        mov  r1, STDOUT
        mov  r0, SYS_WRITE
        syscall
        pop  r1
        ret

; print_nl: write a newline to stdout.
;   r0: bytes written
;   changes r0-r3
print_nl:
        mov  r1, '\n'
        jmp  print_char

; print_str_int: write a string, a signed decimal number and a newline, with
; one WRITE: a whole line that another thread's output cannot split.
;   r1: address of a 0-terminated string
;   r2: the number
;   r0: bytes written
;   changes r0-r5
; The line is built on the stack from its end: the newline, the digits, the
; sign, then the string copied in front of them. A string longer than 200
; bytes is written with a WRITE of its own, then the rest of the line.
        .equ __IO_LINE_MAX, 200
print_str_int:
        push fp
        mov  fp, sp
        sub  sp, __IO_LINE_MAX + 12 ; the string, sign, 10 digits, newline
        mov  r4, r1                 ; r4: the string
        mov  r5, r2                 ; r5: the number, for its sign
        mov  r1, '\n'
        stb  r1, [fp - 1]
        mov  r1, r2
        bge  r1, 0, __io_psi_digits
        neg  r1, r1
__io_psi_digits:
        sub  r2, fp, 1
        call __io_utoa              ; r2: the first digit
        bge  r5, 0, __io_psi_len
        dec  r2
        mov  r3, '-'
        stb  r3, [r2]
__io_psi_len:
        mov  r3, r4                 ; r3 walks to the string's end
__io_psi_scan:
        ldb  r0, [r3]
        beq  r0, 0, __io_psi_fits
        inc  r3
        jmp  __io_psi_scan
__io_psi_fits:
        sub  r0, r3, r4             ; its length
        ble  r0, __IO_LINE_MAX, __io_psi_copy
        push r2                     ; too long for the line: two WRITEs
        mov  r1, r4
        call print_str
        pop  r2
        jmp  __io_write_frame
__io_psi_copy:
        sub  r2, r0                 ; the line starts that much earlier
        mov  r1, r2
__io_psi_byte:                      ; copy the string in front of the number
        beq  r4, r3, __io_write_frame
        ldb  r0, [r4]
        stb  r0, [r1]
        inc  r4
        inc  r1
        jmp  __io_psi_byte

; read_line: read one line from stdin into a buffer, without its newline.
;   r1: the buffer
;   r2: its size in bytes: at most size-1 bytes are stored, then a 0 byte
;   r0: the bytes stored, or -1 at end of input when nothing was read
;       (the buffer then holds an empty string)
;   changes r0-r5
; A line longer than size-1 bytes is cut: its first size-1 bytes are stored
; and the rest of it, up to and with the newline, is read and dropped. The
; last line of the input needs no newline. A size below 1 stores nothing at
; all (not even the 0 byte) but still reads the line. The input is read one
; byte at a time, so nothing past the newline is taken from stdin.
read_line:
        push fp
        mov  fp, sp
        push r6                     ; [fp-4]: the caller's r6, preserved
        push r1                     ; [fp-8]: the buffer
        push 0                      ; [sp]: the byte READ fills in
        mov  r4, r1                 ; r4: where the next byte goes
        sub  r5, r2, 1              ; r5: room left, in bytes (below 0: none, and no 0 byte)
        mov  r6, 0                  ; r6: bytes read, newline included
        mov  r1, STDIN              ; READ's arguments, kept across every call:
        mov  r2, sp                 ; a syscall changes only r0
        mov  r3, 1
__io_rl_next:
        mov  r0, SYS_READ
        syscall
        ble  r0, 0, __io_rl_end     ; 0: end of input (an error counts as one)
        inc  r6
        ldb  r0, [sp]
        beq  r0, '\n', __io_rl_end
        ble  r5, 0, __io_rl_next    ; no room: drop the rest of the line
        stb  r0, [r4]
        inc  r4
        dec  r5
        jmp  __io_rl_next
__io_rl_end:
        blt  r5, 0, __io_rl_count
        mov  r0, 0
        stb  r0, [r4]
__io_rl_count:
        ld   r0, [fp - 8]
        sub  r0, r4, r0             ; bytes stored
        bne  r6, 0, __io_rl_ret
        mov  r0, -1                 ; end of input, nothing read
__io_rl_ret:
        ld   r6, [fp - 4]
        mov  sp, fp
        pop  fp
        ret

; read_int: read a decimal number from stdin: spaces, tabs, carriage returns
; and newlines are skipped, then an optional + or - sign and the digits.
;   r0: the number, and r1 = 0;
;       or r0 = 0 and r1 = -1 at end of input or when no number is there
;   changes r0-r5
; The byte after the number (a space, a newline, anything not a digit) is
; read too, and lost: read_int reads stdin one byte at a time and cannot put
; one back. When no number is there, the byte that is not one is lost the
; same way. Digits beyond what 32 bits hold wrap around, as arithmetic does.
read_int:
        push fp
        mov  fp, sp
        push r6                     ; [fp-4]: the caller's r6, preserved
        push 0                      ; [sp]: the byte READ fills in
        mov  r1, STDIN              ; READ's arguments, kept across every call
        mov  r2, sp
        mov  r3, 1
        mov  r4, 0                  ; r4: the value so far
        mov  r5, 1                  ; r5: the sign, 1 or -1
        mov  r6, 0                  ; r6: digits read
__io_ri_skip:
        mov  r0, SYS_READ
        syscall
        ble  r0, 0, __io_ri_end
        ldb  r0, [sp]
        beq  r0, ' ', __io_ri_skip
        beq  r0, '\t', __io_ri_skip
        beq  r0, '\r', __io_ri_skip
        beq  r0, '\n', __io_ri_skip
        beq  r0, '+', __io_ri_next
        bne  r0, '-', __io_ri_digit
        mov  r5, -1
__io_ri_next:
        mov  r0, SYS_READ
        syscall
        ble  r0, 0, __io_ri_end
        ldb  r0, [sp]
__io_ri_digit:
        blt  r0, '0', __io_ri_end
        bgt  r0, '9', __io_ri_end
        sub  r0, '0'
        mul  r4, r4, 10
        add  r4, r0
        inc  r6
        jmp  __io_ri_next
__io_ri_end:
        mov  r0, 0
        mov  r1, -1
        beq  r6, 0, __io_ri_ret     ; no digits: no number
        mul  r0, r4, r5
        mov  r1, 0
__io_ri_ret:
        ld   r6, [fp - 4]
        mov  sp, fp
        pop  fp
        ret
