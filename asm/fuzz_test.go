package asm

import (
	"strings"
	"testing"
)

// fuzzRead is the file system .include sees while fuzzing: small, in
// memory, with a cycle, so the fuzzer can reach include handling without
// touching the disk.
var fuzzRead = memFiles(map[string]string{
	"lib.s":  ".equ K, 3\nlib: ret\n",
	"loop.s": ".include \"loop.s\"\n",
	"bad.s":  "movv r1, r99\n",
})

// FuzzAssemble: no source makes the assembler panic, and whatever
// assembles survives the listing and .vbin round trips. Besides the
// programs written here, it starts from programs walked out of the grammar
// in docs/ASM.md (grammar_test.go), so that mutations start from many valid
// programs and more of them get past the parser.
func FuzzAssemble(f *testing.F) {
	for _, s := range []string{
		"main: mov r1, 5\nret\n",
		".data\nx: .asciz \"a\\n\"\n.text\nmain: ld r1, [x]\n",
		".macro m a\nl\\@: add \\a, 1\n.endm\nm r1\nm r2\n",
		".include \"lib.s\"\nmain: call lib\n",
		".include \"io.s\"\n.include \"io.s\"\nmain: call print\n",
		".include \"loop.s\"\n",
		".equ A, B\n.equ B, A\n.space A\n",
		"beq r1, 'x', main\nmain: jmp r3\n",
	} {
		f.Add([]byte(s))
	}
	for _, s := range grammarSeeds(f, 32) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Assemble("fuzz.s", src, Options{ReadFile: fuzzRead, Library: testLibrary})
		if err != nil {
			if _, ok := err.(ErrorList); !ok {
				t.Fatalf("error is a %T, not an ErrorList", err)
			}
			_ = err.Error()
			return
		}
		roundTrip(t, p)
	})
}

// TestHostileInputs: inputs built to exhaust the assembler end with an
// error, quickly, never a hang or a crash.
func TestHostileInputs(t *testing.T) {
	var bomb strings.Builder
	bomb.WriteString(".macro m0\nnop\n.endm\n")
	for i := 1; i <= 9; i++ {
		bomb.WriteString(".macro m" + string(rune('0'+i)) + "\n")
		for j := 0; j < 10; j++ {
			bomb.WriteString("m" + string(rune('0'+i-1)) + "\n")
		}
		bomb.WriteString(".endm\n")
	}
	bomb.WriteString("m9\n")
	tests := []struct {
		name, src, want string
	}{
		{"macro bomb", bomb.String(), "program too large"},
		{"binary recursion", ".macro r\nr\nr\n.endm\nr\n", "nested too deeply"},
		{"mutual recursion", ".macro a\nb\n.endm\n.macro b\na\n.endm\na\n", "nested too deeply"},
		{"deep parentheses", "mov r1, " + strings.Repeat("(", 1000) + "1" + strings.Repeat(")", 1000), "nested too deeply"},
		{"deep unary", ".equ X, " + strings.Repeat("-", 1000) + "1", "nested too deeply"},
		{"ten million parentheses", "mov r1, " + strings.Repeat("(", 10_000_000), "line too long: more than 65536 tokens"},
		{"four million term chain", "mov r1, 1" + strings.Repeat("+1", 4_000_000), "line too long: more than 65536 tokens"},
		{"long chain", "mov r1, 1" + strings.Repeat("+x", 6000), "expression too long: more than 10000 terms"},
		{"many kept terms", ".data\nx: " + strings.Repeat(".word "+strings.Repeat("x+", 2000)+"x\n", 1100), "more than 4194304 expression terms"},
		{"long equ chain", func() string {
			var b strings.Builder
			for i := 0; i < 5000; i++ {
				b.WriteString(".equ C" + itoa(i) + ", C" + itoa(i+1) + " + 1\n")
			}
			return b.String() + ".equ C5000, 0\nmov r1, C0\n"
		}(), "chain of more than 1000 constants"},
		{"huge space", strings.Repeat(".space 0x1000000\n", 4), "grows beyond 16 MiB"},
		{"many errors", strings.Repeat("bogus\n", 5000), "too many errors: 4000 more not shown"},
		{"self include", `.include "self.s"`, "include cycle"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			read := func(string) ([]byte, error) { return []byte(tc.src), nil }
			a := newAssembler(Options{ReadFile: read})
			_, err := a.assemble("self.s", []byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("want an error containing %q, got %.300v", tc.want, err)
			}
			// The work is bounded by the budgets, not by the input: at
			// most maxLines lines of at most maxSourceBytes, and at most
			// maxExprNodes nodes kept. (A wall-clock bound would only
			// measure how busy the machine running the test is.)
			if a.nlines > maxLines+1 || a.nbytes > maxSourceBytes+len(tc.src) || a.exprNodes > maxExprNodes+maxLineTokens {
				t.Errorf("did too much work: %d lines, %d bytes, %d expression nodes", a.nlines, a.nbytes, a.exprNodes)
			}
		})
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
