; Finding 3: names count against --fs-size. 64 bytes hold eight 8-byte names, so the
; ninth new (empty) file is ENOSPC although no file has any contents.
; RUN: run --fs-size 64 %s
; EXIT: 0
; STDOUT: files made before ENOSPC: 8
; STDOUT: the next open: -28
        .include "robust_fs_names.s"
