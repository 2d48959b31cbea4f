package asm

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"vcpu/abi"
	"vcpu/cpu"
	"vcpu/image"
)

// assemble is Assemble on a string, failing the test on error.
func assemble(t *testing.T, src string) *image.Program {
	t.Helper()
	p, err := Assemble("test.s", []byte(src), Options{})
	if err != nil {
		t.Fatalf("assembly failed:\n%v\nsource:\n%s", err, src)
	}
	return p
}

// symbol finds a symbol's value by name.
func symbolValue(t *testing.T, p *image.Program, name string) uint32 {
	t.Helper()
	for _, s := range p.Symbols {
		if s.Name == name {
			return s.Value
		}
	}
	t.Fatalf("no symbol %q in %v", name, p.Symbols)
	return 0
}

func TestExpressionPrecedence(t *testing.T) {
	tests := []struct {
		expr string
		want int64
	}{
		{"1 + 2 * 3", 7},
		{"(1 + 2) * 3", 9},
		{"10 - 4 - 3", 3},            // left associative
		{"100 / 10 / 5", 2},          // left associative
		{"7 % 4 * 2", 6},             // same level, left to right
		{"1 << 2 + 1", 8},            // + binds tighter than <<
		{"1 + 2 << 3", 24},           // (1+2)<<3
		{"0xF0 | 0x0F & 0x3C", 0xFC}, // & before |
		{"6 ^ 3 & 1", 7},             // & before ^
		{"1 | 6 ^ 3", 5},             // ^ before |
		{"8 >> 1 | 1", 5},            // >> before |
		{"4 & 12 >> 1", 4},           // >> before &
		{"-2 * 3", -6},
		{"~0", -1},
		{"~0 & 0xFF", 0xFF},
		{"- -5", 5},
		{"+5", 5},
		{"-(3 - 5)", 2},
		{"-7 / 2", -3},              // truncates toward zero
		{"-7 % 2", -1},              // sign of the dividend
		{"-16 >> 2", -4},            // arithmetic shift
		{"0b1010 + 0x10 + 010", 36}, // leading zeros are decimal
		{"'A' + 1", 66},
		{"'\\n'", 10},
		{"(2 + 3) * 4 - 1 << 1", 38},
		{"SYS_WRITE", int64(abi.SysWrite)},
		{"ENOENT", -2},
		{"STDERR + O_APPEND", 4},
		{"0x7FFFFFFF + 1", 0x80000000},
		{"1 << 63 >> 63", -1},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			p := assemble(t, fmt.Sprintf(".equ X, %s\n", tc.expr))
			if got := symbolValue(t, p, "X"); got != uint32(tc.want) {
				t.Errorf("%s = %d, want %d", tc.expr, int32(got), tc.want)
			}
		})
	}
}

func TestEscapes(t *testing.T) {
	tests := []struct {
		lit  string
		want byte
	}{
		{`\n`, '\n'}, {`\t`, '\t'}, {`\r`, '\r'}, {`\0`, 0}, {`\\`, '\\'},
		{`\"`, '"'}, {`\'`, '\''}, {`\x41`, 'A'}, {`\xff`, 0xff}, {`\x0A`, '\n'},
		{`;`, ';'}, {`#`, '#'}, {`a`, 'a'},
	}
	for _, tc := range tests {
		t.Run(tc.lit, func(t *testing.T) {
			p := assemble(t, fmt.Sprintf(".data\n.ascii \"%s\"\n.byte '%s'\n", tc.lit, tc.lit))
			if want := []byte{tc.want, tc.want}; !bytes.Equal(p.Data, want) {
				t.Errorf("got % x, want % x", p.Data, want)
			}
		})
	}
	p := assemble(t, ".data\ns: .asciz \"a\\tb\" ; \"not a string\"\n")
	if want := []byte("a\tb\x00"); !bytes.Equal(p.Data, want) {
		t.Errorf(".asciz: got %q, want %q", p.Data, want)
	}
}

func TestCaseInsensitivity(t *testing.T) {
	lower := assemble(t, ".data\nd: .word 1\n.text\nmain: mov r1, sp\nadd fp, r2, 3\nld r3, [sp + 4]\njmp main\n")
	upper := assemble(t, ".DATA\nd: .Word 1\n.TEXT\nmain: MOV R1, SP\nAdd FP, r2, 3\nLD r3, [Sp + 4]\nJMP main\n")
	if !bytes.Equal(lower.Text, upper.Text) || !bytes.Equal(lower.Data, upper.Data) {
		t.Errorf("case changed the encoding:\n% x\n% x", lower.Text, upper.Text)
	}
	// Labels are case-sensitive: these are two labels, not a duplicate.
	p := assemble(t, "loop: nop\nLoop: nop\njmp Loop\n")
	if symbolValue(t, p, "loop") == symbolValue(t, p, "Loop") {
		t.Error("loop and Loop should be different labels")
	}
	if _, err := Assemble("t.s", []byte("jmp LOOP\nloop: nop\n"), Options{}); err == nil ||
		!strings.Contains(err.Error(), `undefined symbol "LOOP" (did you mean "loop"?)`) {
		t.Errorf("want an undefined-symbol error with a suggestion, got %v", err)
	}
}

func TestForwardReferences(t *testing.T) {
	p := assemble(t, `
main:   jmp  later
        mov  r1, msg
        mov  r2, LEN
        beq  r1, LEN, later
later:  ret
        .equ LEN, end - msg
        .data
msg:    .ascii "hello"
end:
`)
	later := symbolValue(t, p, "later")
	in, _, err := cpu.Decode(p.Text)
	if err != nil || in.Op != cpu.JMP || in.Target != later {
		t.Errorf("jmp later: got %+v (%v), want target %#x", in, err, later)
	}
	if got := symbolValue(t, p, "LEN"); got != 5 {
		t.Errorf("LEN = %d, want 5", got)
	}
	if got := symbolValue(t, p, "msg"); got != p.DataBase {
		t.Errorf("msg = %#x, want the data base %#x", got, p.DataBase)
	}
}

func TestLayout(t *testing.T) {
	p := assemble(t, `
        .data
d:      .byte 1, 2, 3
        .align 4
w:      .word 0x11223344
        .bss
b:      .space 5
        .align 8
b2:     .zero 3
        .text
start:  nop
        .byte 0xAA
after:
        nop
main:   ret
end:
`)
	if p.TextBase != abi.TextBase {
		t.Errorf("TextBase %#x", p.TextBase)
	}
	// .byte in .text is followed by padding so the next instruction is word aligned,
	// and a label on its own line marks the padded instruction.
	wantText := []byte{0, 0, 0, 0, 0xAA, 0, 0, 0, 0, 0, 0, 0, byte(cpu.RET), 0, 0, 0}
	if !bytes.Equal(p.Text, wantText) {
		t.Errorf("text % x, want % x", p.Text, wantText)
	}
	if got := symbolValue(t, p, "after"); got != p.TextBase+8 {
		t.Errorf("after = %#x, want %#x", got, p.TextBase+8)
	}
	if p.Entry != symbolValue(t, p, "main") || p.Entry != p.TextBase+12 {
		t.Errorf("entry %#x", p.Entry)
	}
	if got := symbolValue(t, p, "end"); got != p.TextBase+16 {
		t.Errorf("end = %#x", got)
	}
	if p.DataBase != p.TextBase+abi.PageSize || p.BSSBase != p.DataBase+abi.PageSize {
		t.Errorf("bases: data %#x bss %#x", p.DataBase, p.BSSBase)
	}
	if want := []byte{1, 2, 3, 0, 0x44, 0x33, 0x22, 0x11}; !bytes.Equal(p.Data, want) {
		t.Errorf("data % x, want % x", p.Data, want)
	}
	if p.BSSSize != 11 || symbolValue(t, p, "b2") != p.BSSBase+8 {
		t.Errorf("bss size %d, b2 %#x", p.BSSSize, symbolValue(t, p, "b2"))
	}
	if p.HeapBase() != p.BSSBase+abi.PageSize {
		t.Errorf("heap base %#x", p.HeapBase())
	}
	// Without main the entry is the start of .text.
	if q := assemble(t, "nop\nret\n"); q.Entry != abi.TextBase {
		t.Errorf("entry without main: %#x", q.Entry)
	}
}

func TestMacros(t *testing.T) {
	p := assemble(t, `
        .macro spin reg, n      ; count reg down from n
        mov  \reg, \n
l\@:    dec  \reg
        bne  \reg, 0, l\@
        .endm
        .macro  twice a
        spin \a, 2
        SPIN \a, 3
        .endm
main:   spin r1, 5
        twice r2
        ret
`)
	var loops []string
	for _, s := range p.Symbols {
		if strings.HasPrefix(s.Name, "l") {
			loops = append(loops, s.Name)
		}
	}
	if len(loops) != 3 || loops[0] == loops[1] || loops[1] == loops[2] {
		t.Errorf("\\@ labels %v, want three distinct", loops)
	}
	// The source map points at the body line for expanded instructions.
	if _, line, ok := p.SourceLine(p.Entry); !ok || line != 3 {
		t.Errorf("entry maps to line %d, want the macro body's line 3", line)
	}
	// Each branch goes back to its own loop label.
	want := map[uint32]bool{}
	for _, s := range loops {
		want[symbolValue(t, p, s)] = true
	}
	for off := 0; off < len(p.Text); {
		in, n, err := cpu.Decode(p.Text[off:])
		if err != nil {
			t.Fatal(err)
		}
		if in.Op == cpu.BNE && !want[in.Target] {
			t.Errorf("bne to %#x, not a loop label", in.Target)
		}
		off += n
	}
}

func TestIncludeFromMemory(t *testing.T) {
	files := map[string]string{
		"prog/main.s":       ".include \"lib/util.s\"\nmain: call util\nret\n",
		"prog/lib/util.s":   ".include \"consts.s\"\nutil: mov r0, ANSWER\nret\n",
		"prog/lib/consts.s": ".equ ANSWER, 42\n",
	}
	read := func(path string) ([]byte, error) {
		if s, ok := files[path]; ok {
			return []byte(s), nil
		}
		return nil, os.ErrNotExist
	}
	p, err := Assemble("prog/main.s", []byte(files["prog/main.s"]), Options{ReadFile: read})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"prog/main.s", "prog/lib/util.s", "prog/lib/consts.s"}; fmt.Sprint(p.Files) != fmt.Sprint(want) {
		t.Errorf("files %q, want %q", p.Files, want)
	}
	if file, line, ok := p.SourceLine(symbolValue(t, p, "util")); !ok || file != "prog/lib/util.s" || line != 2 {
		t.Errorf("util is at %s:%d", file, line)
	}
	if p.Name != "main" || p.Path != "prog/main.s" {
		t.Errorf("name %q path %q", p.Name, p.Path)
	}
	files["prog/lib/consts.s"] = ".equ ANSWER, 42\n  bogus r1\n"
	_, err = Assemble("prog/main.s", []byte(files["prog/main.s"]), Options{ReadFile: read})
	msg := fmt.Sprint(err)
	for _, want := range []string{"prog/lib/consts.s:2:3: unknown mnemonic \"bogus\"",
		"prog/lib/util.s:1:1: note: included from here", "prog/main.s:1:1: note: included from here"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not contain %q:\n%s", want, msg)
		}
	}
}

// TestErrorFormat pins the exact text of an error: position, message, the
// echoed line and a caret that lines up under tabs.
func TestErrorFormat(t *testing.T) {
	_, err := Assemble("dir/x.s", []byte("main:\n\tmov\tr1, 0x100000000 ; too big\n"), Options{})
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 {
		t.Fatalf("want one error, got %v", err)
	}
	want := "dir/x.s:2:10: immediate 0x100000000 does not fit in 32 bits (-2^31 .. 2^32-1)\n" +
		"\tmov\tr1, 0x100000000 ; too big\n" +
		"\t   \t    ^"
	if got := list[0].Error(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if e := list[0]; e.File != "dir/x.s" || e.Line != 2 || e.Col != 10 {
		t.Errorf("position %s:%d:%d", e.File, e.Line, e.Col)
	}
}

// TestEveryErrorReported checks that errors are sorted and none is lost.
func TestEveryErrorReported(t *testing.T) {
	src := "b: movv\nnop\na: jmp x\nmov r1, 1/0\nmov r0\n"
	_, err := Assemble("e.s", []byte(src), Options{})
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatal(err)
	}
	var lines []int
	for _, e := range list {
		lines = append(lines, e.Line)
	}
	if fmt.Sprint(lines) != "[1 3 4 5]" {
		t.Errorf("error lines %v, want [1 3 4 5]:\n%v", lines, err)
	}
	if strings.Count(err.Error(), "\n") != 3*len(list)-1 {
		t.Errorf("each error is three lines, joined by newlines:\n%s", err)
	}
}

func TestDisassembleInst(t *testing.T) {
	p := assemble(t, "main: beq r1, 5, main\nmov r2, msg\nld r3, [fp - 8]\njmp r4\n.data\nmsg: .byte 0\n")
	var got []string
	for off := 0; off < len(p.Text); {
		in, n, err := cpu.Decode(p.Text[off:])
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, DisassembleInst(in, p))
		off += n
	}
	want := []string{"beq   r1, 5, main", "mov   r2, msg", "ld    r3, [fp - 8]", "jmp   r4"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if s := DisassembleInst(cpu.Inst{Op: cpu.JMP, Target: 0x1234}, nil); s != "jmp   0x1234" {
		t.Errorf("without a program: %q", s)
	}
	if s := DisassembleInst(cpu.Inst{Op: 200}, nil); !strings.Contains(s, "invalid") {
		t.Errorf("invalid instruction: %q", s)
	}
}

func TestLoadChoosesByContent(t *testing.T) {
	dir := t.TempDir()
	p := assemble(t, "main: mov r0, 7\nret\n")
	bin, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	// A binary named .s and a source named .vbin both load by what they hold.
	os.WriteFile(dir+"/bin.s", bin, 0o644)
	os.WriteFile(dir+"/src.vbin", []byte("main: mov r0, 7\nret\n"), 0o644)
	for _, name := range []string{"bin.s", "src.vbin"} {
		q, err := LoadFile(dir+"/"+name, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(q.Text, p.Text) || q.Entry != p.Entry {
			t.Errorf("%s: loaded a different program", name)
		}
		if q.Name != strings.TrimSuffix(name, name[strings.Index(name, "."):]) || q.Path != dir+"/"+name {
			t.Errorf("%s: name %q path %q", name, q.Name, q.Path)
		}
	}
	os.WriteFile(dir+"/bad.vbin", bin[:20], 0o644)
	if _, err := LoadFile(dir+"/bad.vbin", Options{}); err == nil || !strings.Contains(err.Error(), "bad.vbin: vbin: truncated") {
		t.Errorf("damaged binary: %v", err)
	}
	if _, err := AssembleFileWith(dir+"/none.s", Options{}); err == nil {
		t.Error("missing file: no error")
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		name  string
		cands []string
		want  string
	}{
		{"movv", mnemonics, "mov"}, // one insertion
		{"mvo", mnemonics, "mov"},  // one transposition
		{"sycall", mnemonics, "syscall"},
		{"xyzzy", mnemonics, ""},                  // nothing close
		{"a", []string{"b"}, ""},                  // as many edits as letters: no
		{"LOOP", []string{"loop", "lop"}, "loop"}, // case only: preferred
		{"rr1", registerNames, "r1"},
		{".wrod", directiveNames, ".word"},
		{strings.Repeat("x", 100), []string{strings.Repeat("x", 99)}, ""}, // too long to bother
	}
	for _, tc := range tests {
		if got := suggest(tc.name, tc.cands); got != tc.want {
			t.Errorf("suggest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// '.' is the address of the statement it stands in (docs/ASM.md): in an
// instruction, a data directive or a .equ, where the .equ stands.
func TestLocationCounter(t *testing.T) {
	p := assemble(t, `
        .data
pad:    .byte 1
msg:    .ascii "hello, world\n"
        .equ LEN, . - msg
self:   .word .
        .equ HERE, .
        .text
main:   mov  r1, .
        mov  r2, LEN
here:   jmp  .
        .equ AFTER, . - main
`)
	if got := symbolValue(t, p, "LEN"); got != 13 {
		t.Errorf("LEN = %d, want 13", got)
	}
	self := symbolValue(t, p, "self")
	if got := uint32(p.Data[self-p.DataBase]) | uint32(p.Data[self-p.DataBase+1])<<8 | uint32(p.Data[self-p.DataBase+2])<<16 | uint32(p.Data[self-p.DataBase+3])<<24; got != self {
		t.Errorf(".word . = %#x, want its own address %#x", got, self)
	}
	if got := symbolValue(t, p, "HERE"); got != self+4 {
		t.Errorf("HERE = %#x, want %#x (just after self)", got, self+4)
	}
	in, _, err := cpu.Decode(p.Text)
	if err != nil || in.Imm != p.TextBase {
		t.Errorf("mov r1, . = %+v (%v), want imm %#x", in, err, p.TextBase)
	}
	here := symbolValue(t, p, "here")
	in, _, err = cpu.Decode(p.Text[here-p.TextBase:])
	if err != nil || in.Op != cpu.JMP || in.Target != here {
		t.Errorf("jmp . = %+v (%v), want a jump to itself at %#x", in, err, here)
	}
	if got := symbolValue(t, p, "AFTER"); got != uint32(len(p.Text)) {
		t.Errorf("AFTER = %d, want the code's size %d", got, len(p.Text))
	}
}
