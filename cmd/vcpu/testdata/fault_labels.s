; A fault names the label and segment of the address it touched, data and
; bss labels included, and of a pc that jumped into data.
; RUN: run %s %d/helpers/jump_data.s
; EXIT: 139
; STDERR: vcpu: pid 1 (fault_labels) tid 1 killed: segmentation fault (read straddles the end of data segment) at 0x00002004 (pc 0x00001008) [fault_labels.s:13]; the address is msg+4 in the data segment
; STDERR: vcpu: pid 2 (jump_data) tid 2 killed: segmentation fault (execute in data segment) at 0x00002004 (pc 0x00002004); the pc is at table+4 in the data segment
; STDERR:   hint: the program jumped into its data segment, which holds data, not code
; GOLDEN
        .data
msg:    .ascii "hello"
        .text
main:   mov  r1, msg
        ld   r2, [r1 + 4]
        ret
