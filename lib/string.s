; string.s — strings and memory: strlen, strcmp, memcpy, memset, atoi, itoa.
;
; Part of vcpu's built-in library: `.include "string.s"` works from any
; folder (a file named string.s beside your program is taken instead), and
; including it twice assembles it once. `vcpu lib string.s` prints this file.
;
; The calling convention (every routine here keeps it):
;   arguments in r1, r2, r3, r4; the result in r0 (a second one in r1);
;   a call may change r0-r5; r6-r13, fp (r14) and sp (r15) are preserved.
; Each routine's header says which registers it really changes.
;
; None of these routines makes a system call or keeps anything in memory
; of its own: threads may call them at once. A string is its bytes up to
; a 0 byte; bytes compare as unsigned numbers (0 ... 255).
;
; The routines' own labels start with __str_; don't start yours that way.
; This file puts its code in .text and leaves the assembler there: after
; .include "string.s", say which section comes next (.data, .text, ...).

        .text

; strlen: the length of a string, without its 0 byte.
;   r1: address of the string
;   r0: its length
;   changes r0, r2
strlen:
        mov  r0, r1
__str_len_next:
        ldb  r2, [r0]
        beq  r2, 0, __str_len_end
        inc  r0
        jmp  __str_len_next
__str_len_end:
        sub  r0, r1
        ret

; strcmp: compare two strings byte by byte, as unsigned bytes.
;   r1, r2: addresses of the two strings
;   r0: negative if the first sorts before the second, 0 if they are equal,
;       positive if it sorts after: the difference of the first two bytes
;       that differ ("ab" < "abc": the end of "ab" is a 0 byte)
;   changes r0-r3
strcmp:
        ldb  r0, [r1]
        ldb  r3, [r2]
        bne  r0, r3, __str_cmp_diff
        beq  r0, 0, __str_cmp_end   ; both ended: equal, r0 = 0
        inc  r1
        inc  r2
        jmp  strcmp
__str_cmp_diff:
        sub  r0, r3
__str_cmp_end:
        ret

; memcpy: copy n bytes, first to last.
;   r1: where to (dst)
;   r2: where from (src)
;   r3: how many bytes (n, unsigned; 0 copies nothing)
;   r0: dst
;   changes r0-r4
; The copy goes from the first byte up, so dst may overlap src only below
; it (dst < src); use two buffers otherwise.
memcpy:
        mov  r0, r1
        add  r3, r1                 ; r3: the end of dst
__str_cpy_next:
        beq  r1, r3, __str_cpy_end
        ldb  r4, [r2]
        stb  r4, [r1]
        inc  r1
        inc  r2
        jmp  __str_cpy_next
__str_cpy_end:
        ret

; memset: fill n bytes with one value.
;   r1: where (dst)
;   r2: the byte (its low 8 bits)
;   r3: how many bytes (n, unsigned; 0 fills nothing)
;   r0: dst
;   changes r0, r1, r3
memset:
        mov  r0, r1
        add  r3, r1                 ; r3: the end
__str_set_next:
        beq  r1, r3, __str_set_end
        stb  r2, [r1]
        inc  r1
        jmp  __str_set_next
__str_set_end:
        ret

; atoi: the number a string starts with, in decimal.
;   r1: address of the string
;   r0: the number
;   changes r0-r3
; Leading spaces, tabs, carriage returns and newlines are skipped, then an
; optional + or - sign is read, then digits up to the first byte that is
; not one. No digits there: 0 ("abc", "", "-"). "12abc" is 12. Digits beyond
; what 32 bits hold wrap around, as arithmetic does.
atoi:
        mov  r0, 0                  ; r0: the value so far
        mov  r3, 1                  ; r3: the sign, 1 or -1
__str_atoi_space:
        ldb  r2, [r1]
        inc  r1
        beq  r2, ' ', __str_atoi_space
        beq  r2, '\t', __str_atoi_space
        beq  r2, '\r', __str_atoi_space
        beq  r2, '\n', __str_atoi_space
        beq  r2, '+', __str_atoi_next
        bne  r2, '-', __str_atoi_digit
        mov  r3, -1
__str_atoi_next:
        ldb  r2, [r1]
        inc  r1
__str_atoi_digit:
        blt  r2, '0', __str_atoi_end
        bgt  r2, '9', __str_atoi_end
        sub  r2, '0'
        mul  r0, r0, 10
        add  r0, r2
        jmp  __str_atoi_next
__str_atoi_end:
        mul  r0, r0, r3
        ret

; itoa: write a number in signed decimal, and a 0 byte.
;   r1: the number
;   r2: a buffer of at least 12 bytes ("-2147483648" and its 0 byte)
;   r0: the length written, without the 0 byte
;   changes r0-r5
itoa:
        mov  r4, r2                 ; r4: the start of the buffer
        bge  r1, 0, __str_itoa_count
        mov  r0, '-'
        stb  r0, [r2]
        inc  r2
        neg  r1, r1                 ; -2147483648 stays 0x80000000: right, read as unsigned
__str_itoa_count:                   ; r2 += the number of digits
        mov  r0, r1
__str_itoa_count1:
        inc  r2
        divu r0, r0, 10
        bne  r0, 0, __str_itoa_count1
        mov  r0, 0
        stb  r0, [r2]
        mov  r5, r2                 ; r5: the end; the digits fill in backwards
__str_itoa_digit:
        remu r3, r1, 10
        add  r3, '0'
        dec  r2
        stb  r3, [r2]
        divu r1, r1, 10
        bne  r1, 0, __str_itoa_digit
        sub  r0, r5, r4
        ret
