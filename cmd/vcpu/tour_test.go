package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// docs/TOUR.md is run by TestTour, so what it shows is what a student sees.
// Its format:
//
//   - A ```console block holds commands, each on a line starting with "$ ",
//     followed by the output expected from it: stdout and stderr together, in
//     the order vcpu writes them (as a terminal shows them, or `2>&1`), each
//     line compared without its trailing blanks. A line "..." alone stands for
//     any number of lines, none included: the tour trims long output with it.
//   - The commands are `vcpu ARGS...` (run from the repository root, so
//     programs/NAME.s is the repository's) and `echo $?`, which prints the
//     exit status of the command before it. A command that exits with a
//     status other than 0 must be followed by `echo $?`: the tour says so.
//   - `<!-- file: NAME -->` on the line before a fenced block makes that
//     block's text a file NAME that later commands can run, as the reader
//     would save it.
//   - `<!-- from: programs/NAME.s -->` on the line before a fenced block
//     says the block quotes that program: its lines must be lines of the
//     program, in a row, as they are there.
//   - Any other "$ " line, in any fenced block, is an error: the test could
//     not run it. Commands it cannot run (the window) go in ```sh blocks
//     without "$ "; the programs they name must exist.
//
// `go test ./cmd/vcpu -run TestTour -update` rewrites every command's
// expected output in place from what vcpu prints; a block trimmed with one
// "..." keeps as many lines before and after it as it had. Review the diff.

const (
	tourPath = "../../docs/TOUR.md"
	elision  = "..."
)

// tourItem is a command with its expected output, a file to create, or a
// quote of a program.
type tourItem struct {
	line     int      // the line (0-based) of the "$ " command or the file marker
	cmd      string   // the command, without "$ "
	want     []string // expected output lines
	from, to int      // want's lines in the document: lines[from:to]
	file     string   // a file to create, with body as its text
	body     string
	quotes   string // a program the block quotes, with body as the quote
}

var (
	tourFileMarker  = regexp.MustCompile(`^<!-- file: ([A-Za-z0-9_.-]+) -->$`)
	tourQuoteMarker = regexp.MustCompile(`^<!-- from: (programs/[a-z_]+\.s) -->$`)
)

// parseTour reads the tour's commands and files, in order.
func parseTour(lines []string) ([]tourItem, error) {
	var items []tourItem
	var errs []error
	file, quotes, fileLine := "", "", 0
	for i := 0; i < len(lines); i++ {
		if m := tourFileMarker.FindStringSubmatch(lines[i]); m != nil {
			file, quotes, fileLine = m[1], "", i
			continue
		}
		if m := tourQuoteMarker.FindStringSubmatch(lines[i]); m != nil {
			file, quotes, fileLine = "", m[1], i
			continue
		}
		if !strings.HasPrefix(lines[i], "```") {
			continue
		}
		info := strings.TrimSpace(strings.TrimPrefix(lines[i], "```"))
		start := i + 1
		end := start
		for end < len(lines) && !strings.HasPrefix(lines[end], "```") {
			end++
		}
		if end == len(lines) {
			return nil, fmt.Errorf("line %d: a fenced block that never ends", i+1)
		}
		block := lines[start:end]
		i = end
		switch {
		case file != "":
			items = append(items, tourItem{line: fileLine, file: file, body: strings.Join(block, "\n") + "\n"})
			file = ""
		case quotes != "":
			items = append(items, tourItem{line: fileLine, quotes: quotes, body: strings.Join(block, "\n") + "\n"})
			quotes = ""
		case info == "console":
			for j := 0; j < len(block); {
				if !strings.HasPrefix(block[j], "$ ") {
					errs = append(errs, fmt.Errorf("line %d: output before any command", start+j+1))
					j++
					continue
				}
				it := tourItem{line: start + j, cmd: strings.TrimPrefix(block[j], "$ ")}
				j++
				it.from = start + j
				for j < len(block) && !strings.HasPrefix(block[j], "$ ") {
					it.want = append(it.want, strings.TrimRight(block[j], " \t"))
					j++
				}
				it.to = start + j
				items = append(items, it)
			}
		default:
			for j, l := range block {
				if strings.HasPrefix(l, "$ ") {
					errs = append(errs, fmt.Errorf("line %d: %q is in a ```%s block, which the test does not run: use ```console", start+j+1, l, info))
				}
			}
		}
	}
	if file != "" || quotes != "" {
		errs = append(errs, fmt.Errorf("line %d: a file marker with no block after it", fileLine+1))
	}
	return items, errors.Join(errs...)
}

// matchLines says whether got fits want, where an elision line in want
// stands for any number of lines.
func matchLines(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if want[0] == elision {
		for k := 0; k <= len(got); k++ {
			if matchLines(want[1:], got[k:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && want[0] == got[0] && matchLines(want[1:], got[1:])
}

// updatedLines is what -update writes for a command: got, trimmed the way
// want was trimmed (one elision: as many lines before and after it).
func updatedLines(want, got []string) ([]string, error) {
	at, n := -1, 0
	for i, l := range want {
		if l == elision {
			at, n = i, n+1
		}
	}
	switch {
	case n == 0:
		return got, nil
	case n > 1:
		return nil, errors.New("it is trimmed with more than one \"...\": update it by hand")
	}
	head, tail := at, len(want)-at-1
	if head+tail >= len(got) {
		return got, nil
	}
	out := append(append([]string{}, got[:head]...), elision)
	return append(out, got[len(got)-tail:]...), nil
}

// outputLines splits what a command printed into lines, without the
// trailing blanks a reader cannot see.
func outputLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return lines
}

// TestTour runs every command of docs/TOUR.md, as a reader would type it
// from the repository root, and compares what it prints and its exit status
// with the text. -update rewrites the text from vcpu's output.
func TestTour(t *testing.T) {
	raw, err := os.ReadFile(tourPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	items, err := parseTour(lines)
	if err != nil {
		t.Fatalf("docs/TOUR.md: %v", err)
	}
	progDir, _ := filepath.Abs("../../programs")
	for _, m := range regexp.MustCompile(`programs/[a-z_]+\.s`).FindAllString(string(raw), -1) {
		if _, err := os.Stat(filepath.Join(progDir, strings.TrimPrefix(m, "programs/"))); err != nil {
			t.Errorf("docs/TOUR.md names %s, which does not exist", m)
		}
	}

	work := t.TempDir()
	t.Chdir(work)
	clean := strings.NewReplacer(progDir, "programs", work+string(filepath.Separator), "")
	type edit struct {
		from, to int
		lines    []string
	}
	var edits []edit
	commands, status, statusShown := 0, 0, true
	for _, it := range items {
		where := fmt.Sprintf("docs/TOUR.md:%d", it.line+1)
		if it.file != "" {
			if err := os.WriteFile(filepath.Join(work, it.file), []byte(it.body), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if it.quotes != "" {
			src, err := os.ReadFile(filepath.Join(progDir, strings.TrimPrefix(it.quotes, "programs/")))
			if err != nil {
				t.Errorf("%s: %v", where, err)
			} else if !strings.HasPrefix(string(src), it.body) && !strings.Contains(string(src), "\n"+it.body) {
				t.Errorf("%s: the block does not quote %s as it is now: update the quote by hand", where, it.quotes)
			}
			continue
		}
		var got []string
		fields := strings.Fields(it.cmd)
		switch {
		case it.cmd == "echo $?":
			got = []string{strconv.Itoa(status)}
			statusShown = true
		case len(fields) > 0 && fields[0] == "vcpu" && !strings.ContainsAny(it.cmd, "'\"|<>;&$`\\*"):
			if !statusShown {
				t.Errorf("%s: the command before exits with status %d, and the tour does not show it (`$ echo $?`)", where, status)
			}
			var out bytes.Buffer
			status = dispatch(programArgs(progDir, fields[1:]), strings.NewReader(""), &out, &out)
			statusShown = status == 0
			commands++
			got = outputLines(clean.Replace(out.String()))
		default:
			t.Errorf("%s: the test cannot run %q: only `vcpu ARGS` (no quotes, pipes or redirections) and `echo $?`", where, it.cmd)
			continue
		}
		if matchLines(it.want, got) {
			continue
		}
		if *update {
			u, err := updatedLines(it.want, got)
			if err != nil {
				t.Errorf("%s: %s: %v", where, it.cmd, err)
				continue
			}
			edits = append(edits, edit{it.from, it.to, u})
			continue
		}
		t.Errorf("%s: $ %s\nthe tour says:\n%s\nthe command printed:\n%s\n(`go test ./cmd/vcpu -run TestTour -update` rewrites the tour; review the diff)",
			where, it.cmd, indent(it.want), indent(got))
	}
	if !statusShown {
		t.Errorf("the tour's last command exits with status %d, and the tour does not show it (`$ echo $?`)", status)
	}
	if commands < 20 {
		t.Errorf("the tour runs %d vcpu commands; a tour of twelve lessons has more", commands)
	}
	if *update && len(edits) > 0 {
		for i := len(edits) - 1; i >= 0; i-- {
			e := edits[i]
			lines = append(lines[:e.from], append(e.lines, lines[e.to:]...)...)
		}
		path, _ := filepath.Abs(filepath.Join(filepath.Dir(progDir), "docs", "TOUR.md"))
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote the output of %d commands in docs/TOUR.md", len(edits))
	}
}

func indent(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("    " + l + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// The tour's own machinery: a wrong tour must fail, not pass quietly.
func TestTourParse(t *testing.T) {
	doc := strings.Split("intro\n"+
		"<!-- file: a.s -->\n```asm\nmain: ret\n```\n"+
		"```console\n$ vcpu run a.s\nout 1\n\n$ echo $?\n0\n```\n"+
		"```sh\nvcpu gui a.s\n```\n"+
		"<!-- from: programs/b.s -->\n```asm\n  ret\n```\n", "\n")
	items, err := parseTour(doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 4 || items[0].file != "a.s" || items[0].body != "main: ret\n" ||
		items[3].quotes != "programs/b.s" || items[3].body != "  ret\n" ||
		items[1].cmd != "vcpu run a.s" || strings.Join(items[1].want, "|") != "out 1|" ||
		items[2].cmd != "echo $?" || strings.Join(items[2].want, "|") != "0" {
		t.Fatalf("parsed %+v", items)
	}
	if got := doc[items[1].from:items[1].to]; strings.Join(got, "|") != "out 1|" {
		t.Errorf("the output's lines in the document: %q", got)
	}
	for _, bad := range []string{
		"```sh\n$ vcpu run x.s\n```\n",           // a command the test would not run
		"```console\nstray\n$ vcpu run x.s\n```", // output before a command
		"```console\n$ vcpu run x.s\n",           // never closed
		"<!-- file: a.s -->\n",                   // a file without its text
		"<!-- from: programs/a.s -->\n",          // a quote without its text
	} {
		if _, err := parseTour(strings.Split(bad, "\n")); err == nil {
			t.Errorf("parseTour(%q) took it", bad)
		}
	}
}

func TestTourMatch(t *testing.T) {
	got := []string{"a", "b", "c", "d"}
	tests := []struct {
		want []string
		ok   bool
	}{
		{[]string{"a", "b", "c", "d"}, true},
		{[]string{"a", "b", "c"}, false},
		{[]string{"a", "b", "c", "d", "e"}, false},
		{[]string{"a", "...", "d"}, true},
		{[]string{"a", "...", "b", "c", "d"}, true}, // "..." may stand for no line
		{[]string{"...", "d"}, true},
		{[]string{"a", "..."}, true},
		{[]string{"...", "c", "...", "d"}, true},
		{[]string{"a", "...", "x"}, false},
		{[]string{"b", "..."}, false},
		{[]string{}, false},
	}
	for _, tc := range tests {
		if ok := matchLines(tc.want, got); ok != tc.ok {
			t.Errorf("matchLines(%q) = %v, want %v", tc.want, ok, tc.ok)
		}
	}
	if u, _ := updatedLines([]string{"a", "...", "z"}, got); strings.Join(u, "") != "a...d" {
		t.Errorf("update keeps %q, want a ... d", u)
	}
	if u, _ := updatedLines([]string{"x"}, got); strings.Join(u, "") != "abcd" {
		t.Errorf("update without elision writes %q", u)
	}
	if _, err := updatedLines([]string{"...", "b", "..."}, got); err == nil {
		t.Error("two elisions updated without complaint")
	}
}

// A newcomer finds the tour before anything else the README says.
func TestTourIsWhereToStart(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	top, _, ok := strings.Cut(string(readme), "\n## Set-up")
	if !ok {
		t.Fatal("README.md has no \"## Set-up\" section")
	}
	if !strings.Contains(top, "## Start here") || !strings.Contains(top, "(docs/TOUR.md)") {
		t.Error("README.md does not link docs/TOUR.md in a \"Start here\" section before its set-up")
	}
}
