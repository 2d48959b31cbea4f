; The beginner's traps each get a hint saying what to write instead.
        .data
msg:    .asciz "hi"
count:  .word 0
        .equ LIMIT, 10
        .text
main:   mov  r1, #5                     ; ERROR "missing operand after ',' ('#' starts a comment: an immediate needs no '#', write 5)"
        add  r1, r2, #-1                ; ERROR "write -1)"
        push #LIMIT                     ; ERROR "push: expected 1 operand (src), got 0 ('#' starts a comment: an immediate needs no '#', write LIMIT)"
        .word #3                        ; ERROR ".word: expected one or more values ('#' starts a comment"
        mov  r1, 5                      # a comment after a space is only a comment
        add  r2, Msg, 1                 ; ERROR "add: operand 2: expected a register, got \"Msg\" (did you mean the label \"msg\"? a label is a value, not a register: mov r1, msg puts it in one)"
        beq  cuont, 0, main             ; ERROR "(did you mean the label \"count\"?"
        add  r2, msg, 1                 ; ERROR "(msg is a label, a value, not a register: mov r1, msg puts it in one)"
        not  r1, LIMIT                  ; ERROR "(LIMIT is a constant, a value, not a register"
        not  r1, spp                    ; ERROR "(did you mean \"sp\"?)"
        not  r1, Xyzzy                  ; ERROR "not: operand 2: expected a register, got \"Xyzzy\""
        mov  r2, Msg                    ; ERROR "undefined symbol \"Msg\" (did you mean \"msg\"?)"
        mov  r2, sq                     ; ERROR "undefined symbol \"sq\" (did you mean \"sp\"?)"
        mov  [msg], r1                  ; ERROR "mov: operand 1: expected a register, got \"[msg]\" (st stores a register to memory: st r1, [msg]; stb stores its low byte)"
        mov  [r2 + 4], 7                ; ERROR "(st stores a register to memory: st rs, [r2 + 4]; stb stores a byte)"
        mov  r3, [count]                ; ERROR "(ld loads a word from memory: ld r3, [count]; ldb loads a byte)"
        ret
