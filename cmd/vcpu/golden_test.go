package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The programs in testdata/ check vcpu from the outside, as the conformance
// suite does, in the same header format:
//
//	; RUN: run --quantum 5 %s %d/other.s   (%s: this file, %d: its folder)
//	; EXIT: 0
//	; STDOUT: line        (stdout must be exactly these lines)
//	; STDOUT-EMPTY
//	; STDERR: text        (stderr must contain it)
//	; STDERR-NOT: text
//	; STDIN: a\tb\n    (fed to stdin, with \n and \t escapes, no newline added)
//	; MERGED: text        (with stderr sent into stdout, as 2>&1 does, lines
//	                       containing these texts appear in this order)
//	; GOLDEN              (stdout and stderr together, as 2>&1 shows them,
//	                       must equal NAME.golden beside the program; -update
//	                       rewrites it; the program's folder reads as %d)
//
// They run in-process through dispatch, so they cover the flag parsing, the
// loader and the kernel together and still run in milliseconds.
// TestHelpGolden checks every command's help, usage line first, against
// testdata/help.golden: the usage lines come from the command table alone,
// so help and every usage error agree on them.
func TestHelpGolden(t *testing.T) {
	var got strings.Builder
	out, _, _ := vcpu(t, "help")
	got.WriteString("$ vcpu help\n" + out)
	for _, c := range commands {
		out, stderr, st := vcpu(t, "help", c.name)
		if st != 0 || stderr != "" {
			t.Errorf("help %s: status %d, stderr %q", c.name, st, stderr)
		}
		if first, _, _ := strings.Cut(out, "\n"); first != usageLine(c.name) {
			t.Errorf("help %s starts %q, want %q", c.name, first, usageLine(c.name))
		}
		got.WriteString("\n$ vcpu help " + c.name + "\n" + out)
	}
	checkGolden(t, "testdata/help.golden", got.String())
}

// checkGolden compares got with a golden file, or rewrites it with -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (rerun with -update and review the diff):\n%s", path, lineDiff(string(want), got))
	}
}

func TestGoldenPrograms(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.s")
	if len(files) == 0 {
		t.Fatal("no test programs in testdata/")
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".s"), func(t *testing.T) { runGolden(t, f) })
	}
}

// stdinEscapes are the escapes a STDIN line may use; the line itself adds
// no newline, so "; STDIN: last" ends the input without one.
var stdinEscapes = strings.NewReplacer(`\n`, "\n", `\t`, "\t")

type golden struct {
	args             []string
	exit             int
	stdout           []string
	checkOut         bool
	stderr, stderrNo []string
	merged           []string
	golden           bool
	stdin            string
}

func parseGolden(t *testing.T, path string) golden {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(path)
	var g golden
	run := false
	for _, line := range strings.Split(string(src), "\n") {
		key, val, ok := strings.Cut(line, ":")
		val = strings.TrimPrefix(val, " ")
		switch {
		case ok && key == "; RUN":
			run = true
			val = strings.ReplaceAll(val, "%s", abs)
			val = strings.ReplaceAll(val, "%d", filepath.Dir(abs))
			g.args = strings.Fields(val)
		case ok && key == "; EXIT":
			g.exit, err = strconv.Atoi(val)
			if err != nil {
				t.Fatalf("bad EXIT line %q", line)
			}
		case ok && key == "; STDOUT":
			g.stdout = append(g.stdout, val)
			g.checkOut = true
		case line == "; STDOUT-EMPTY":
			g.checkOut = true
		case ok && key == "; STDERR":
			g.stderr = append(g.stderr, val)
		case ok && key == "; STDERR-NOT":
			g.stderrNo = append(g.stderrNo, val)
		case ok && key == "; MERGED":
			g.merged = append(g.merged, val)
		case line == "; GOLDEN":
			g.golden = true
		case ok && key == "; STDIN":
			g.stdin += stdinEscapes.Replace(val)
		}
	}
	if !run {
		t.Fatalf("%s has no RUN line", path)
	}
	return g
}

func runGolden(t *testing.T, path string) {
	g := parseGolden(t, path)
	abs := mustAbs(t, path) // before the Chdir below
	var out, errOut bytes.Buffer
	t.Chdir(t.TempDir()) // programs must resolve paths against their own folder
	got := dispatch(g.args, strings.NewReader(g.stdin), &out, &errOut)
	if got != g.exit {
		t.Errorf("exit status %d, want %d", got, g.exit)
	}
	if g.checkOut {
		want := strings.Join(g.stdout, "\n")
		if len(g.stdout) > 0 {
			want += "\n"
		}
		if out.String() != want {
			t.Errorf("stdout:\n%s\nwant:\n%s", out.String(), want)
		}
	}
	for _, s := range g.stderr {
		if !strings.Contains(errOut.String(), s) {
			t.Errorf("stderr lacks %q", s)
		}
	}
	for _, s := range g.stderrNo {
		if strings.Contains(errOut.String(), s) {
			t.Errorf("stderr has %q", s)
		}
	}
	if len(g.merged) > 0 || g.golden {
		var both bytes.Buffer
		dispatch(g.args, strings.NewReader(g.stdin), &both, &both)
		merged := strings.ReplaceAll(both.String(), filepath.Dir(abs), "%d")
		at := 0
		lines := strings.Split(merged, "\n")
		for _, want := range g.merged {
			for at < len(lines) && !strings.Contains(lines[at], want) {
				at++
			}
			if at == len(lines) {
				t.Errorf("stdout and stderr together lack, in this order, %q; got:\n%s", g.merged, merged)
				break
			}
			at++
		}
		if g.golden {
			checkGolden(t, strings.TrimSuffix(abs, ".s")+".golden", merged)
		}
	}
	if t.Failed() {
		t.Logf("stderr:\n%s", errOut.String())
	}
}

// mustAbs is path made absolute, for a test that changes folder or writes
// a path into a program it generates.
func mustAbs(t *testing.T, path string) string {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}
