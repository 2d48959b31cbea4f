package asm

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Regression tests for the findings of the second robustness review
// (issue 8) that live in the assembler. The CLI's own tests
// (cmd/vcpu/robust_test.go) meet the same findings where a user would.

// TestFinding02LongExpressionChain: one line `mov r1, 1+1+…` of 4M terms
// ran the assembler out of stack (a fatal error, not a panic). It is now a
// clean error, and the error shows a window of the line, not 8 MB of it.
func TestFinding02LongExpressionChain(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"4M-term chain", "mov r1, 1" + strings.Repeat("+1", 4_000_000), "line too long: more than 65536 tokens"},
		{"10M parentheses", "mov r1, " + strings.Repeat("(", 10_000_000), "line too long: more than 65536 tokens"},
		{"20k-term chain", "mov r1, x" + strings.Repeat("+x", 20_000), "expression too long: more than 10000 terms"},
	} {
		_, err := Assemble("chain.s", []byte(tc.src), Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want an error containing %q, got %.200v", tc.name, tc.want, err)
			continue
		}
		if n := len(err.Error()); n > 1000 {
			t.Errorf("%s: the error is %d bytes: the echoed line is not cut", tc.name, n)
		}
	}
}

// TestFinding06DenseSourceMemory: a 60 MB dense source took 8 GB (130-150
// bytes per source byte). What the assembler keeps per source byte until
// pass 2 is now bounded, for each kind of dense line, measured as the live
// heap after pass 1 has read 2 MB of it. (Peak RSS is about twice the live
// heap, as Go's collector lets the heap grow to double before it runs.)
func TestFinding06DenseSourceMemory(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		limit      float64 // bytes kept per source byte
	}{
		{"constant bytes", ".byte " + strings.Repeat("1,", 25) + "1\n", 8},
		{"label words", ".word " + strings.Repeat("a,", 25) + "a\n", 80},
		{"long expressions", "mov r1, x" + strings.Repeat("+x", 200) + "\n", 64},
		{"instructions", "add r1, r2, r3\n", 48},
		{"short lines", "nop\n", 96},
	} {
		src := []byte(".data\na: .word 0\n.equ x, 1\n.text\n" + strings.Repeat(tc.line, 2_000_000/len(tc.line)))
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		a := newAssembler(Options{})
		a.incStack = []string{filepath.Clean("dense.s")}
		a.processFile(a.fileFor("dense.s"), src, nil)
		runtime.GC()
		runtime.ReadMemStats(&after)
		kept := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(len(src))
		runtime.KeepAlive(a)
		if len(a.errs.list) > 0 {
			t.Fatalf("%s: %v", tc.name, a.errs.result())
		}
		t.Logf("%s: %.1f bytes kept per source byte", tc.name, kept)
		if kept > tc.limit {
			t.Errorf("%s: %.1f bytes kept per source byte, limit %.0f", tc.name, kept, tc.limit)
		}
	}
}

// TestFinding13EchoEscapesControlCharacters: an error's echo of a source
// line with ESC sequences retitled and cleared the terminal. The echo shows
// them escaped, with the caret still under the column.
func TestFinding13EchoEscapesControlCharacters(t *testing.T) {
	src := "\x1b]0;pwned\x07\x1b[2J movv r1, 2\n"
	_, err := Assemble("esc.s", []byte(src), Options{})
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\x1b\x07") {
		t.Fatalf("raw control characters in %q", msg)
	}
	want := "esc.s:1:1: unexpected character '\\x1b'\n" + `\x1b]0;pwned\x07\x1b[2J movv r1, 2` + "\n^"
	if !strings.HasPrefix(msg, want) {
		t.Errorf("got\n%s\nwant it to start with\n%s", msg, want)
	}
	// Inside a string a raw ESC is legal; an error after it still has its
	// caret under the offending token.
	_, err = Assemble("esc.s", []byte(".ascii \"\x1b]0;t\x07\", 5\n"), Options{})
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) < 3 || strings.ContainsAny(err.Error(), "\x1b\x07") {
		t.Fatalf("got %q", err.Error())
	}
	if col, caret := strings.Index(lines[1], "5"), strings.Index(lines[2], "^"); col != caret {
		t.Errorf("caret at %d, the token at %d:\n%s", caret, col, err)
	}
}

func TestEchoLongLineWindow(t *testing.T) {
	text := strings.Repeat("a", 1000) + "BAD" + strings.Repeat("b", 1000)
	echo, caret := echoLine(text, 1001)
	if len(echo) > maxEcho+6 || !strings.HasPrefix(echo, "...") || !strings.HasSuffix(echo, "...") {
		t.Fatalf("echo %q", echo)
	}
	if echo[len(caret):len(caret)+3] != "BAD" {
		t.Errorf("caret %d does not point at BAD in %q", len(caret), echo)
	}
}
