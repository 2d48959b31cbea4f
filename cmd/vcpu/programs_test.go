package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/ (programs/*.golden, help.golden, a test program's NAME.golden) from vcpu's output (review the diff)")

// headerCommand is a command line a program's header shows, as
//
//	;   vcpu run --quantum 7 programs/race.s
//	;   printf 'Ada\n36\n' | vcpu run programs/greet.s
var headerCommand = regexp.MustCompile(`^;\s+(?:printf '([^']*)' \| )?vcpu ((?:run|compare) .*)$`)

// TestPrograms runs every command shown in the header of every program in
// programs/, exactly as a reader would type it, and compares what it
// prints (stdout, stderr, exit status) with testdata/programs/NAME.golden.
// So the headers cannot promise what the programs do not do. -update
// rewrites the golden files.
func TestPrograms(t *testing.T) {
	progDir, _ := filepath.Abs("../../programs")
	goldenDir, _ := filepath.Abs("testdata/programs")
	files, _ := filepath.Glob(filepath.Join(progDir, "*.s"))
	if len(files) < 18 {
		t.Fatalf("%d programs in programs/, want at least 18", len(files))
	}
	goldens, _ := filepath.Glob(filepath.Join(goldenDir, "*.golden"))
	for _, g := range goldens {
		name := strings.TrimSuffix(filepath.Base(g), ".golden")
		if _, err := os.Stat(filepath.Join(progDir, name+".s")); err != nil && !*update {
			t.Errorf("%s: no program programs/%s.s", g, name)
		}
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".s")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			checkHeader(t, name, string(src))
			var got strings.Builder
			for _, line := range strings.Split(string(src), "\n") {
				if !strings.HasPrefix(line, ";") {
					break // the header is the comment at the top
				}
				m := headerCommand.FindStringSubmatch(line)
				if m == nil {
					continue
				}
				got.WriteString(transcript(t, progDir, strings.TrimSpace(strings.TrimPrefix(line, ";")), m[1], m[2]))
			}
			if got.Len() == 0 {
				t.Fatal("its header shows no `vcpu run` command")
			}
			checkGolden(t, filepath.Join(goldenDir, name+".golden"), got.String())
		})
	}
}

// checkHeader: the header says what the program shows and what to look for.
func checkHeader(t *testing.T, name, src string) {
	t.Helper()
	if !strings.HasPrefix(src, "; "+name+".s — ") {
		t.Errorf("the first line is not \"; %s.s — what it shows\"", name)
	}
	if !strings.Contains(src, "\n; Look for: ") {
		t.Error("the header has no \"; Look for: \" paragraph")
	}
}

// transcript runs one header command in a fresh folder and writes it down:
// the command, its stdout, its stderr (if any) and its exit status.
func transcript(t *testing.T, progDir, shown, stdin, cmdline string) string {
	t.Helper()
	args := programArgs(progDir, strings.Fields(cmdline))
	t.Chdir(t.TempDir())
	var out, errOut bytes.Buffer
	status := dispatch(args, strings.NewReader(stdinEscapes.Replace(stdin)), &out, &errOut)
	var b strings.Builder
	fmt.Fprintf(&b, "$ %s\n", shown)
	clean := func(s string) string { return strings.ReplaceAll(s, progDir, "programs") }
	b.WriteString(clean(out.String()))
	if out.Len() > 0 && !bytes.HasSuffix(out.Bytes(), []byte("\n")) {
		b.WriteString("\n[no newline at the end]\n")
	}
	if errOut.Len() > 0 {
		b.WriteString("[stderr]\n" + clean(errOut.String()))
	}
	fmt.Fprintf(&b, "[exit %d]\n\n", status)
	return b.String()
}

// programArgs is a command line as a reader types it at the top of the
// tree, with each programs/NAME.s made a path into progDir, so that the
// command can run from any folder.
func programArgs(progDir string, fields []string) []string {
	var args []string
	for _, a := range fields {
		if strings.HasPrefix(a, "programs/") {
			a = filepath.Join(progDir, strings.TrimPrefix(a, "programs/"))
		}
		args = append(args, a)
	}
	return args
}

// lineDiff shows the first lines where want and got part.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant %q\n got %q", i+1, wl, gl)
		}
	}
	return "(equal?)"
}

// docs/PROGRAMS.md lists every program, and names none that is missing.
func TestProgramsDoc(t *testing.T) {
	doc, err := os.ReadFile("../../docs/PROGRAMS.md")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../../programs/*.s")
	for _, f := range files {
		if !bytes.Contains(doc, []byte("`programs/"+filepath.Base(f)+"`")) {
			t.Errorf("docs/PROGRAMS.md does not list programs/%s", filepath.Base(f))
		}
	}
	for _, m := range regexp.MustCompile(`programs/([a-z_]+\.s)`).FindAllSubmatch(doc, -1) {
		if _, err := os.Stat(filepath.Join("../../programs", string(m[1]))); err != nil {
			t.Errorf("docs/PROGRAMS.md names programs/%s, which does not exist", m[1])
		}
	}
}
