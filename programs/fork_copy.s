; fork_copy.s — after FORK, the child's memory is a copy: its writes stay its own.
;
; FORK makes a new process with a copy of the caller's address space. The
; child changes `value` and prints it with its address; then the parent,
; which waited for the child to end, prints its own `value` at the very
; same address: unchanged. Same virtual address, two different frames of
; physical memory: each process has its own page table.
;
;   vcpu run programs/fork_copy.s
;
; Look for: both lines show the same address, with different values.
; With --stats: 2 process switches (to the child and back), each flushing
; the TLB: 2 TLB flushes; a row per process, each with its own frames
; ("peak": 6 each; "frames" is what it holds at the end, 0 once ended).
; In the window: the child's frames appear in the memory map in another
; colour (its own copy), and the TLB panel flashes red at each switch.
        .include "io.s"
        .data
value:  .word 1
m_child: .asciz "child:  value = "
m_parent: .asciz "parent: value = "
m_at:   .asciz " at "
        .text
main:   mov  r0, SYS_FORK
        syscall
        beq  r0, 0, child           ; 0 in the child, the child's pid in the parent
        mov  r1, r0
        mov  r0, SYS_WAIT           ; wait for the child to end
        syscall
        mov  r1, m_parent
        call show
        mov  r0, 0
        ret

child:  mov  r1, 2
        st   r1, [value]            ; the child's copy only
        mov  r1, m_child
        call show
        mov  r0, 0
        ret

; show: print the string at r1, then value and its address, as one line each time.
show:   call print_str
        ld   r1, [value]
        call print_int
        mov  r1, m_at
        call print_str
        mov  r1, value
        call print_hex
        jmp  print_nl
