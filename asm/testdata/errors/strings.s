; Strings and character literals: escapes, termination, length.
        .data
ok:     .ascii "tab\there \"quoted\" \\ \x41\0"
        .ascii "abc                     ; ERROR "unterminated string"
        .ascii "bad \q escape"              ; ERROR "unknown escape sequence \\q"
        .ascii "bad \xZZ hex"               ; ERROR "\\x must be followed by two hex digits"
        .ascii "semi; and # inside"
        .byte ';', '#'
        .byte 'ab'                      ; ERROR "character literal must hold exactly one character"
        .byte ''                        ; ERROR "empty character literal"
        .byte 'a                        ; ERROR "unterminated character literal"
        .byte '\z'                      ; ERROR "unknown escape sequence \\z"
        .ascii 5                        ; ERROR ".ascii: expected a string in double quotes, got \"5\""
        .asciz                          ; ERROR ".asciz: expected a string in double quotes"
