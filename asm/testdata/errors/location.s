; The location counter '.' is an address: it cannot size anything.
        .data
buf:    .space 4
        .space . - buf                  ; ERROR "'.' (the location counter) is an address, but a size must be a constant"
        .equ SIZE, . - buf
        .space SIZE                     ; ERROR "\"SIZE\" is not known yet here"
.:      nop                             ; ERROR "expected a label name before ':'"
        .text
main:   ret
