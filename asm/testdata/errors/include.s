; Errors in included files name the file and the line that included it.
        .include "inc/bad.s"
        .include "inc/missing.s"        ; ERROR "cannot read \"testdata/errors/inc/missing.s\""
        .include "inc/cycle_a.s"
        .include 5                      ; ERROR ".include: expected a file name in quotes"
        .include ""                     ; ERROR ".include: empty file name"
main:   call helper
        ret
