; Unbounded recursion runs off the bottom of the stack segment into the guard page.
; RUN: run --stack 4K %s
; EXIT: 139
; STDERR: stack overflow
main:   call main
        ret
