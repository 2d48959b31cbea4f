package asm

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"vcpu/cpu"
	"vcpu/image"
)

// testLibrary stands in for the library vcpu embeds: two files, one of
// which includes the other.
var testLibrary = fstest.MapFS{
	"io.s":   {Data: []byte(".include \"util.s\"\nprint: call util\nret\n")},
	"util.s": {Data: []byte("util: mov r0, 7\nret\n")},
}

// memFiles is a ReadFile over a map, as the window and the tests use.
func memFiles(files map[string]string) func(string) ([]byte, error) {
	return func(path string) ([]byte, error) {
		if s, ok := files[path]; ok {
			return []byte(s), nil
		}
		return nil, &os.PathError{Op: "open", Path: path, Err: os.ErrNotExist}
	}
}

// TestIncludeLookup: a file beside the including file wins; without one
// the library's file of that name is taken; a library file's own includes
// stay in the library; every file is read once however often it is included.
func TestIncludeLookup(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string
		files2 []string // Program.Files, in the order first read
		util   int64    // the value util puts in r0 (7: the library's)
	}{
		{"from the library",
			map[string]string{"p/main.s": ".include \"io.s\"\nmain: call print\nret\n"},
			[]string{"p/main.s", "<lib>/io.s", "<lib>/util.s"}, 7},
		{"a file beside the program wins",
			map[string]string{"p/main.s": ".include \"io.s\"\nmain: call print\nret\n",
				"p/io.s": "print: ret\nutil: mov r0, 9\nret\n"},
			[]string{"p/main.s", "p/io.s"}, 9},
		{"a library file's include stays in the library",
			map[string]string{"p/main.s": ".include \"io.s\"\nmain: call print\nret\n",
				"p/util.s": "util: mov r0, 9\nret\n"},
			[]string{"p/main.s", "<lib>/io.s", "<lib>/util.s"}, 7},
		{"included twice, read once",
			map[string]string{"p/main.s": ".include \"io.s\"\n.include \"util.s\"\n.include \"io.s\"\nmain: call print\nret\n"},
			[]string{"p/main.s", "<lib>/io.s", "<lib>/util.s"}, 7},
		{"a local file included from two files, read once",
			map[string]string{"p/main.s": ".include \"a.s\"\n.include \"sub/b.s\"\nmain: call util\nret\n",
				"p/a.s": ".include \"util.s\"\n", "p/sub/b.s": ".include \"../util.s\"\n",
				"p/util.s": "util: mov r0, 9\nret\n"},
			[]string{"p/main.s", "p/a.s", "p/util.s", "p/sub/b.s"}, 9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Assemble("p/main.s", []byte(tc.files["p/main.s"]), Options{ReadFile: memFiles(tc.files), Library: testLibrary})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(p.Files) != fmt.Sprint(tc.files2) {
				t.Errorf("files %q, want %q", p.Files, tc.files2)
			}
			util := symbolValue(t, p, "util")
			in := decodeAt(t, p, util)
			if int64(int32(in.Imm)) != tc.util {
				t.Errorf("util loads %d, want %d", int32(in.Imm), tc.util)
			}
		})
	}
}

// TestIncludeLibraryErrors: what goes wrong says where the file was looked for.
func TestIncludeLibraryErrors(t *testing.T) {
	tests := []struct {
		name, src string
		lib       bool
		want      []string
	}{
		{"no library given", ".include \"io.s\"\nmain: ret\n", false,
			[]string{`p/main.s:1:10: cannot read "p/io.s"`}},
		{"not in the library either, with a suggestion", ".include \"oi.s\"\nmain: ret\n", true,
			[]string{`cannot read "p/oi.s"`, `the built-in library has no "oi.s" (did you mean "io.s"?)`}},
		{"no way out of the library", ".include \"../x.s\"\nmain: ret\n", true,
			[]string{`the built-in library has no "../x.s"`}},
		{"a clash with a library label names both places", ".include \"io.s\"\nutil: ret\nmain: ret\n", true,
			[]string{`p/main.s:2:1: duplicate label "util"`, "<lib>/util.s:1:1: note: previous definition here"}},
		{"no main: the program would start in the library", ".include \"io.s\"\nstart: ret\n", true,
			[]string{"<lib>/util.s:1:7: the program has no main", "p/main.s:1:1: note: included from here"}},
		{"a cycle is still an error", ".include \"main.s\"\n", false,
			[]string{"include cycle"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{ReadFile: memFiles(map[string]string{"p/main.s": tc.src})}
			if tc.lib {
				opts.Library = testLibrary
			}
			_, err := Assemble("p/main.s", []byte(tc.src), opts)
			if err == nil {
				t.Fatal("assembled; want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

// A library file included after the program's code, with no main, is fine:
// the program starts at its own first instruction.
func TestIncludeLibraryAfterCode(t *testing.T) {
	src := "start: call print\nret\n.include \"io.s\"\n"
	p, err := Assemble("p/main.s", []byte(src), Options{Library: testLibrary})
	if err != nil {
		t.Fatal(err)
	}
	if p.Entry != p.TextBase {
		t.Errorf("entry %#x, want %#x", p.Entry, p.TextBase)
	}
}

// decodeAt decodes the instruction at addr in p's text.
func decodeAt(t *testing.T, p *image.Program, addr uint32) cpu.Inst {
	t.Helper()
	in, _, err := cpu.Decode(p.Text[addr-p.TextBase:])
	if err != nil {
		t.Fatal(err)
	}
	return in
}
