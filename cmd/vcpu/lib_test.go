package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	root "vcpu"
)

func TestLibCommand(t *testing.T) {
	out, stderr, st := vcpu(t, "lib")
	if st != 0 || !strings.Contains(out, "io.s ") || !strings.Contains(out, "string.s ") ||
		!strings.Contains(out, "strlen, strcmp, memcpy, memset, atoi, itoa") {
		t.Errorf("vcpu lib: status %d, stdout %q, stderr %q", st, out, stderr)
	}
	want, _ := os.ReadFile("../../lib/io.s")
	for _, name := range []string{"io.s", "io"} {
		if out, _, st := vcpu(t, "lib", name); st != 0 || out != string(want) || len(want) == 0 {
			t.Errorf("vcpu lib %s: status %d, %d bytes; want lib/io.s, %d bytes", name, st, len(out), len(want))
		}
	}
	for _, args := range [][]string{{"lib", "stdio.s"}, {"lib", "../main.go"}, {"lib", "io.s", "string.s"}, {"lib", "-x"}} {
		if out, stderr, st := vcpu(t, args...); st != exitUsage || out != "" || stderr == "" {
			t.Errorf("vcpu %s: status %d, stdout %q, stderr %q; want a usage error", strings.Join(args, " "), st, out, stderr)
		}
	}
	if _, stderr, _ := vcpu(t, "lib", "stdio.s"); !strings.Contains(stderr, `no library file "stdio.s"; the library has: io.s, string.s`) {
		t.Errorf("unknown name: stderr %q", stderr)
	}
}

// .include "io.s" works from a program in any folder, and a file of that
// name beside the program is taken instead of the library's.
func TestLibIncludeFromAnyFolder(t *testing.T) {
	dir := t.TempDir()
	prog := "        .include \"io.s\"\n        .text\nmain:   mov  r1, 42\n        call print_int\n        call print_nl\n        mov  r0, 0\n        ret\n"
	os.WriteFile(filepath.Join(dir, "p.s"), []byte(prog), 0o644)
	if out, stderr, st := vcpu(t, "run", filepath.Join(dir, "p.s")); st != 0 || out != "42\n" {
		t.Errorf("library io.s: status %d, stdout %q, stderr %q", st, out, stderr)
	}
	// `vcpu asm` assembles with the library, and the binary needs no source.
	bin := filepath.Join(dir, "p.vbin")
	if _, stderr, st := vcpu(t, "asm", filepath.Join(dir, "p.s"), "-o", bin); st != 0 {
		t.Errorf("vcpu asm: status %d: %s", st, stderr)
	}
	if out, stderr, st := vcpu(t, "run", bin); st != 0 || out != "42\n" {
		t.Errorf("the binary: status %d, stdout %q, stderr %q", st, out, stderr)
	}
	own := "print_int:\n        ret\nprint_nl:\n        mov  r0, SYS_WRITE\n        mov  r1, STDOUT\n        mov  r2, msg\n        mov  r3, 4\n        syscall\n        ret\n        .data\nmsg:    .ascii \"own\\n\"\n"
	os.WriteFile(filepath.Join(dir, "io.s"), []byte(own), 0o644)
	if out, stderr, st := vcpu(t, "run", filepath.Join(dir, "p.s")); st != 0 || out != "own\n" {
		t.Errorf("io.s beside the program: status %d, stdout %q, stderr %q", st, out, stderr)
	}
	// SPAWN assembles with the library too.
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "child.s"), []byte(strings.Replace(prog, "42", "7", 1)), 0o644)
	parent := "        .data\npath:   .asciz \"sub/child.s\"\n        .text\nmain:   mov  r0, SYS_SPAWN\n        mov  r1, path\n        syscall\n        mov  r1, r0\n        mov  r0, SYS_WAIT\n        syscall\n        ret\n"
	os.WriteFile(filepath.Join(dir, "parent.s"), []byte(parent), 0o644)
	if out, stderr, st := vcpu(t, "run", filepath.Join(dir, "parent.s")); st != 0 || out != "7\n" {
		t.Errorf("spawned child with the library: status %d, stdout %q, stderr %q", st, out, stderr)
	}
}

// libRoutine is a routine of the library and the arguments it is called
// with when checking which registers it changes.
type libRoutine struct {
	name  string
	args  []string // r1, r2, ...
	stdin string
}

var libRoutines = []libRoutine{
	{"print_str", []string{"s1"}, ""},
	{"print_int", []string{"-2147483648"}, ""},
	{"print_uint", []string{"0xffffffff"}, ""},
	{"print_hex", []string{"0xdeadbeef"}, ""},
	{"print_char", []string{"'A'"}, ""},
	{"print_nl", nil, ""},
	{"print_str_int", []string{"s1", "-5"}, ""},
	{"read_line", []string{"buf", "64"}, "a line\nmore\n"},
	{"read_int", nil, "  -12 rest\n"},
	{"strlen", []string{"s1"}, ""},
	{"strcmp", []string{"s1", "s2"}, ""},
	{"memcpy", []string{"buf", "s1", "6"}, ""},
	{"memset", []string{"buf", "'x'", "10"}, ""},
	{"atoi", []string{"num"}, ""},
	{"itoa", []string{"-2147483648", "buf"}, ""},
}

// TestLibPreservesRegisters calls every routine of the library with every
// register it does not take as an argument set to a marker, and checks the
// calling convention: r6-r13, fp and sp come back unchanged. It also checks
// that each routine's header says truthfully which registers it changes
// ("changes r0-r3"), so a student can rely on the comment.
func TestLibPreservesRegisters(t *testing.T) {
	changes := libChanges(t)
	for _, r := range libRoutines {
		if _, ok := changes[r.name]; !ok {
			t.Errorf("%s: no such routine with a \"changes\" line in the library", r.name)
		}
	}
	if len(changes) != len(libRoutines) {
		t.Errorf("the library has %d routines, the test calls %d: add the new ones to libRoutines", len(changes), len(libRoutines))
	}
	dir := t.TempDir()
	for _, r := range libRoutines {
		t.Run(r.name, func(t *testing.T) {
			changed, ok := changes[r.name]
			if !ok {
				t.Skip()
			}
			for reg := 6; reg < 16; reg++ {
				if changed[reg] {
					t.Errorf("its header says it changes r%d, which the calling convention preserves", reg)
				}
			}
			var src strings.Builder
			src.WriteString("        .include \"io.s\"\n        .include \"string.s\"\n        .data\n")
			src.WriteString("s1:     .asciz \"hello\"\ns2:     .asciz \"help\"\nnum:    .asciz \"-123\"\n")
			src.WriteString("regs:   .space 64\nsp0:    .word 0\nbuf:    .space 64\n        .text\nmain:\n")
			for reg := 1; reg < 15; reg++ {
				v := fmt.Sprint(marker(reg))
				if reg <= len(r.args) {
					v = r.args[reg-1]
				}
				fmt.Fprintf(&src, "        mov  r%d, %s\n", reg, v)
			}
			fmt.Fprintf(&src, "        st   sp, [sp0]\n        call %s\n", r.name)
			for reg := 0; reg < 16; reg++ {
				fmt.Fprintf(&src, "        st   r%d, [regs + %d]\n", reg, 4*reg)
			}
			src.WriteString("        mov  r0, SYS_WRITE\n        mov  r1, STDOUT\n        mov  r2, regs\n        mov  r3, 68\n        syscall\n        mov  r0, 0\n        ret\n")
			path := filepath.Join(dir, r.name+".s")
			os.WriteFile(path, []byte(src.String()), 0o644)
			var out, errOut bytes.Buffer
			if st := dispatch([]string{"run", path}, strings.NewReader(r.stdin), &out, &errOut); st != 0 || out.Len() < 68 {
				t.Fatalf("status %d, %d bytes out: %s", st, out.Len(), errOut.String())
			}
			b := out.Bytes()[out.Len()-68:]
			reg := func(i int) uint32 { return binary.LittleEndian.Uint32(b[4*i:]) }
			before := func(i int) uint32 {
				if i == 15 {
					return binary.LittleEndian.Uint32(b[64:])
				}
				if i >= 1 && i <= len(r.args) {
					return 0 // an argument: only its being in the changes set is checked
				}
				return marker(i)
			}
			for i := 1; i < 16; i++ {
				if i <= len(r.args) {
					continue
				}
				if got := reg(i); got != before(i) && !changed[i] {
					t.Errorf("r%d changed (%#x, was %#x), but the header does not say so", i, got, before(i))
				}
			}
		})
	}
}

// marker is the value register r holds before the call.
func marker(r int) uint32 { return 0x5a5a0000 + uint32(r)*0x101 }

// libChanges reads each routine's "changes" line from the library's
// headers: "; name: what it does" starts a routine, ";   changes r0-r3, r5"
// says what it may leave changed.
func libChanges(t *testing.T) map[string]map[int]bool {
	t.Helper()
	head := regexp.MustCompile(`^; ([a-z_]+): `)
	line := regexp.MustCompile(`^;\s+changes (.*)$`)
	labels := regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*):`)
	all := map[string]map[int]bool{}
	entries, _ := fs.ReadDir(root.Library, ".")
	for _, e := range entries {
		src, _ := fs.ReadFile(root.Library, e.Name())
		cur := ""
		for _, l := range strings.Split(string(src), "\n") {
			if m := head.FindStringSubmatch(l); m != nil {
				cur = m[1]
			}
			if m := line.FindStringSubmatch(l); m != nil && cur != "" {
				all[cur] = parseRegs(t, m[1])
				cur = ""
			}
			if m := labels.FindStringSubmatch(l); m != nil && !strings.HasPrefix(m[1], "__") {
				if _, ok := all[m[1]]; !ok {
					t.Errorf("%s: label %s has no header with a \"changes\" line", e.Name(), m[1])
				}
			}
		}
	}
	return all
}

// parseRegs reads "r0-r3, r5" as a set of register numbers.
func parseRegs(t *testing.T, s string) map[int]bool {
	set := map[int]bool{}
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		if !isRange {
			hi = lo
		}
		a, err1 := strconv.Atoi(strings.TrimPrefix(lo, "r"))
		b, err2 := strconv.Atoi(strings.TrimPrefix(hi, "r"))
		if err1 != nil || err2 != nil || a > b {
			t.Fatalf("cannot read the registers %q", s)
		}
		for r := a; r <= b; r++ {
			set[r] = true
		}
	}
	return set
}

// TestLibThreadsNeverMixLines runs two threads printing at once at every
// quantum from 1 to 40: a line printed with one call always comes out
// whole. The control prints each line with three calls (string, number,
// newline) and must come out mixed at some quantum, or the test would not
// be preempting the threads mid-line at all.
func TestLibThreadsNeverMixLines(t *testing.T) {
	src, err := os.ReadFile("testdata/lib_threads_print.s")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.s")
	os.WriteFile(whole, src, 0o644)
	split := filepath.Join(dir, "split.s")
	os.WriteFile(split, []byte(strings.Replace(string(src), "call print_str_int", "call three_calls", 1)+
		"three_calls:\n        push r2\n        call print_str\n        pop  r1\n        call print_int\n        call print_nl\n        ret\n"), 0o644)
	lineRE := regexp.MustCompile(`^(thread ([AB]) line ([0-5])|a whole line from ([AB]))$`)
	mixed := 0
	for q := 1; q <= 40; q++ {
		for _, prog := range []string{whole, split} {
			out, stderr, st := vcpu(t, "run", "--quantum", strconv.Itoa(q), prog)
			if st != 0 {
				t.Fatalf("quantum %d, %s: status %d: %s", q, filepath.Base(prog), st, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			ok := len(lines) == 14
			for _, l := range lines {
				ok = ok && lineRE.MatchString(l)
			}
			switch {
			case prog == whole && !ok:
				t.Errorf("quantum %d: lines printed with one call each came out mixed:\n%s", q, out)
			case prog == split && !ok:
				mixed++
			}
		}
	}
	if mixed == 0 {
		t.Error("the control (three calls a line) never mixed: the threads were never preempted mid-line")
	}
}

// docs/LIBRARY.md's tables list every routine with the registers its
// header says it changes.
func TestLibDoc(t *testing.T) {
	doc, err := os.ReadFile("../../docs/LIBRARY.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\|.*\\| ([^|]+) \\|$")
	changes := libChanges(t)
	documented := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		regs := strings.NewReplacer("`", "", "–", "-").Replace(strings.TrimSpace(m[2]))
		want, ok := changes[m[1]]
		if !ok {
			t.Errorf("docs/LIBRARY.md lists %s, which the library does not have", m[1])
			continue
		}
		documented[m[1]] = true
		if got := parseRegs(t, regs); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: docs/LIBRARY.md says it changes %s, its header %v", m[1], regs, want)
		}
	}
	for name := range changes {
		if !documented[name] {
			t.Errorf("docs/LIBRARY.md does not list %s", name)
		}
	}
}
