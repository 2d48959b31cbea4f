package asm

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"vcpu/image"
)

// roundTrip checks both ways a Program leaves the assembler and comes back:
// through its listing (Disassemble, then Assemble: same bytes, bss size and
// entry) and through a .vbin file (MarshalBinary, then image.Unmarshal:
// the same Program, but for Path, which a .vbin does not store).
func roundTrip(t *testing.T, p *image.Program) {
	t.Helper()
	listing := Disassemble(p)
	q, err := Assemble("listing.s", []byte(listing), Options{})
	if err != nil {
		t.Fatalf("listing does not assemble:\n%v\nlisting:\n%s", err, listing)
	}
	if !bytes.Equal(p.Text, q.Text) || !bytes.Equal(p.Data, q.Data) || p.BSSSize != q.BSSSize || p.Entry != q.Entry {
		t.Fatalf("listing round trip differs:\ntext % x\n  vs % x\ndata % x\n  vs % x\nbss %d vs %d, entry %#x vs %#x\nlisting:\n%s",
			p.Text, q.Text, p.Data, q.Data, p.BSSSize, q.BSSSize, p.Entry, q.Entry, listing)
	}
	bin, err := p.MarshalBinary()
	if err != nil {
		t.Fatalf("MarshalBinary: %v", err)
	}
	r, err := image.Unmarshal(bin)
	if err != nil {
		t.Fatalf("image.Unmarshal: %v", err)
	}
	r.Path = p.Path
	if !reflect.DeepEqual(p, r) {
		t.Fatalf("vbin round trip differs:\n%+v\n%+v", p, r)
	}
}

func TestRoundTripConformance(t *testing.T) {
	for _, path := range conformanceFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			p, err := AssembleFileWith(path, Options{Library: repoLibrary})
			if err != nil {
				t.Skip("does not assemble (an error test)")
			}
			roundTrip(t, p)
		})
	}
}

func TestRoundTripGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/encode/*.s")
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			p, err := AssembleFileWith(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, p)
		})
	}
}

// TestRoundTripTricky covers what a listing must get right beyond plain
// code: data inside .text, labels at odd offsets, strings, runs of zeros,
// an entry point that is not the first instruction, and no main at all.
func TestRoundTripTricky(t *testing.T) {
	tests := map[string]string{
		"data in text":                        "nop\n.byte 1, 2, 3\nodd: .byte 4\n.word 0x01020304, 0xFFFFFFFF\nmain: ret\n.ascii \"xyz\"\n",
		"label mid word":                      ".byte 9\nmid: .byte 8, 7\nend:\n",
		"undecodable":                         ".word 0xFFFFFFFF, 0x00000F01\nmain: jmp main\n",
		"label inside an instruction's bytes": ".word 0x0000011c\nin: .word 0, 0\nmain: nop\n",
		"strings":                             ".data\ns: .asciz \"quote \\\" back \\\\ tab \\t nl \\n\"\nraw: .byte 0xff, 0x80, 0\n.ascii \"long enough text here\"\nz: .space 100\n.byte 1\nend:\n",
		"no main":                             "start: nop\nloop: jmp loop\n.data\n.word start\n",
		"entry late":                          "a: nop\nb: nop\nmain: jmp a\n",
		"zeros":                               ".space 64\nmain: nop\n.zero 8\n.data\n.zero 40\nd:\n.bss\n.space 3\nb1: .space 5\nb2:\n",
		"empty":                               "",
		"only bss":                            ".bss\nx: .space 10\n",
		"targets":                             "main: call f\njmp 0x2000\nmov r1, main\npush main\nld r1, [main]\nret\nf: ret\n",
		"macro and labels":                    ".macro m\nx\\@: nop\n.endm\nm\nm\nmain: m\n",
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			roundTrip(t, assemble(t, src))
		})
	}
}

// TestDisassembleCraftedSymbols: a .vbin may carry names the assembler would
// refuse; the listing must not use them, and must keep the entry point.
func TestDisassembleCraftedSymbols(t *testing.T) {
	p := assemble(t, "a: nop\nb: nop\nc: ret\n")
	p.Entry = p.TextBase + 8
	p.Name = "evil\nmov r1, 5" // must stay inside the listing's comment
	p.Symbols = []image.Symbol{
		{Name: "r1", Value: p.TextBase, Section: image.SecText},
		{Name: "has space", Value: p.TextBase + 4, Section: image.SecText},
		{Name: "main", Value: p.TextBase, Section: image.SecText}, // not the entry
		{Name: "SYS_EXIT", Value: p.TextBase + 4, Section: image.SecText},
		{Name: "far", Value: 0x9999999, Section: image.SecText},
		{Name: "dup", Value: p.TextBase, Section: image.SecText},
		{Name: "dup", Value: p.TextBase + 4, Section: image.SecText},
	}
	roundTrip(t, p)
}

// conformanceDir holds the shared conformance programs, beside the repo.
const conformanceDir = "../../shared/conformance"

// repoLibrary is the built-in library as vcpu embeds it, read from the
// source tree (asm cannot import the package that embeds it).
var repoLibrary = os.DirFS("../lib")

// conformanceFiles lists every conformance .s file, helpers included.
func conformanceFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(conformanceDir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".s") {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Skipf("no conformance programs in %s: %v", conformanceDir, err)
	}
	return files
}

// TestConformanceAssembles checks that every conformance program assembles,
// except those whose header expects exit status 1, which must fail with
// errors at the places their STDERR lines name.
func TestConformanceAssembles(t *testing.T) {
	stderrRE := regexp.MustCompile(`(?m)^; STDERR: (.*)$`)
	for _, path := range conformanceFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = AssembleFileWith(path, Options{Library: repoLibrary})
			if !bytes.Contains(src, []byte("\n; EXIT: 1\n")) {
				if err != nil {
					t.Fatalf("does not assemble:\n%v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("assembled, but the test expects assembly errors")
			}
			for _, m := range stderrRE.FindAllStringSubmatch(string(src), -1) {
				if !strings.Contains(err.Error(), m[1]) {
					t.Errorf("errors do not contain %q:\n%v", m[1], err)
				}
			}
		})
	}
}
