package asm

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"vcpu/cpu"
)

var update = flag.Bool("update", false, "rewrite the BYTES comments of testdata/encode from the assembler's output")

// bytesMarker is a golden encoding: "; BYTES: 02 01 12 00 05 00 00 00".
var bytesMarker = regexp.MustCompile(`; BYTES:((?: [0-9a-f]{2})+)\s*$`)

// TestEncodeGolden assembles every file in testdata/encode and checks each
// instruction line's bytes against its BYTES comment. With -update it
// rewrites the comments instead (review the diff).
func TestEncodeGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/encode/*.s")
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	covered := map[cpu.Opcode]map[cpu.Mode]bool{}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			p, err := AssembleFileWith(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := map[int][]byte{} // line -> encoding
			for _, l := range p.Lines {
				off := l.PC - p.TextBase
				in, n, err := cpu.Decode(p.Text[off:])
				if err != nil {
					t.Fatalf("line %d: emitted bytes do not decode: %v", l.Line, err)
				}
				got[int(l.Line)] = p.Text[off : off+uint32(n)]
				if covered[in.Op] == nil {
					covered[in.Op] = map[cpu.Mode]bool{}
				}
				covered[in.Op][in.Mode] = true
			}
			src, _ := os.ReadFile(path)
			lines := strings.Split(string(src), "\n")
			checked := 0
			for i, line := range lines {
				m := bytesMarker.FindStringSubmatch(line)
				b, isInst := got[i+1]
				if m == nil {
					if isInst {
						t.Errorf("%s:%d: instruction without a BYTES comment", path, i+1)
					}
					continue
				}
				if !isInst {
					t.Errorf("%s:%d: BYTES comment on a line with no instruction", path, i+1)
					continue
				}
				checked++
				have := strings.TrimSpace(fmt.Sprintf("% x", b))
				if *update {
					lines[i] = line[:strings.Index(line, "; BYTES:")] + "; BYTES: " + have
				} else if strings.TrimSpace(m[1]) != have {
					t.Errorf("%s:%d: %s\n\tgot  %s\n\twant %s", path, i+1, strings.TrimSpace(line[:strings.Index(line, ";")]), have, strings.TrimSpace(m[1]))
				}
			}
			if checked == 0 {
				t.Errorf("%s: no BYTES lines", path)
			}
			if *update {
				if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	// Every opcode, in every mode its format allows, must be covered.
	for op := cpu.Opcode(0); op < cpu.NumOpcodes; op++ {
		for _, m := range []cpu.Mode{0, cpu.ModeImm, cpu.ModeAbs, cpu.ModeTarget} {
			if (cpu.Inst{Op: op, Mode: m}).Valid() != nil && m != 0 {
				continue // the format does not allow this mode
			}
			if !covered[op][m] {
				t.Errorf("golden files do not cover %s with mode %#x", op, uint8(m))
			}
		}
	}
}

// The error tests follow Go's assembler endtoend tests: each file in
// testdata/errors marks the lines that must fail with
//
//	; ERROR "substring" ["another"]
//
// and every error must land on a marked line (of that file or of a file it
// includes) and contain one of its substrings. The whole error text counts,
// notes included, so a marker can check that an error names both places.

var errorMarker = regexp.MustCompile(`; ERROR ((?:"(?:[^"\\]|\\.)*"\s*)+)$`)
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// markers reads the ERROR markers of one file, by line.
func markers(t *testing.T, src []byte) map[int][]string {
	t.Helper()
	out := map[int][]string{}
	for i, line := range strings.Split(string(src), "\n") {
		m := errorMarker.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, q := range quoted.FindAllString(m[1], -1) {
			s, err := strconv.Unquote(q)
			if err != nil {
				t.Fatalf("line %d: bad marker %s: %v", i+1, q, err)
			}
			out[i+1] = append(out[i+1], s)
		}
	}
	return out
}

func TestErrors(t *testing.T) {
	files, _ := filepath.Glob("testdata/errors/*.s")
	if len(files) == 0 {
		t.Fatal("no error tests found")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			want := map[string]map[int][]string{} // file -> line -> substrings
			read := func(name string) ([]byte, error) {
				b, err := os.ReadFile(name)
				if err == nil {
					want[name] = markers(t, b)
				}
				return b, err
			}
			src, err := read(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Assemble(path, src, Options{ReadFile: read})
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("want an ErrorList, got %v", err)
			}
			matched := map[string]map[int][]bool{}
			for f, lines := range want {
				matched[f] = map[int][]bool{}
				for l, subs := range lines {
					matched[f][l] = make([]bool, len(subs))
				}
			}
			for _, e := range list {
				subs := want[e.File][e.Line]
				if len(subs) == 0 {
					t.Errorf("unexpected error:\n%v", e)
					continue
				}
				full := withoutEcho(e)
				hit := false
				for i, s := range subs {
					if strings.Contains(full, s) {
						matched[e.File][e.Line][i], hit = true, true
					}
				}
				if !hit {
					t.Errorf("error does not match any of %q:\n%v", subs, e)
				}
			}
			for f, lines := range matched {
				for l, ok := range lines {
					for i, hit := range ok {
						if !hit {
							t.Errorf("%s:%d: no error containing %q", f, l, want[f][l][i])
						}
					}
				}
			}
		})
	}
}

// withoutEcho is an error's text without the source lines it echoes: those
// hold the ERROR markers themselves, which would match any message.
func withoutEcho(e *Error) string {
	echo := map[string]bool{e.Text: true}
	for _, n := range e.Notes {
		echo[n.Text] = true
	}
	var keep []string
	for _, line := range strings.Split(e.Error(), "\n") {
		if !echo[line] {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}
