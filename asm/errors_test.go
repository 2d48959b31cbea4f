package asm

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

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
				full := e.Error()
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
