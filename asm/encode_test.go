package asm

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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
			p, err := AssembleFile(path)
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
