; The assembler's hints for the beginner's traps, through the CLI: '#' before
; an immediate, a misspelt label where a register belongs, mov to memory,
; and the location counter working where a length is wanted.
; RUN: run %s
; EXIT: 1
; STDERR: asm_hints.s:16:17: missing operand after ',' ('#' starts a comment: an immediate needs no '#', write 5)
; STDERR: asm_hints.s:17:18: add: operand 2: expected a register, got "Msg" (did you mean the label "msg"? a label is a value, not a register: mov r1, msg puts it in one)
; STDERR: asm_hints.s:18:14: mov: operand 1: expected a register, got "[msg]" (st stores a register to memory: st r1, [msg]; stb stores its low byte)
; STDERR-NOT: asm_hints.s:19
; STDERR-NOT: "sp"
; GOLDEN
        .data
msg:    .ascii "hello, world\n"
        .equ LEN, . - msg
        .text
main:   mov  r1, #5
        add  r2, Msg, 1
        mov  [msg], r1
        mov  r3, LEN
        ret
