package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// vcpu runs one command line in-process.
func vcpu(t *testing.T, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	var out, errOut bytes.Buffer
	status = dispatch(args, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), status
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.vbin")
	os.WriteFile(bad, []byte("VBIN\x01\x00garbage"), 0o644)
	tests := []struct {
		args   []string
		status int
		stderr string
	}{
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{[]string{"run"}, exitUsage, "run needs at least one program"},
		{[]string{"run", "--quantum", "0", "x.s"}, exitUsage, "quantum must be at least 1"},
		{[]string{"run", "--mem", "lots", "x.s"}, exitUsage, `"lots" is not a size`},
		{[]string{"run", "--no-such-flag", "x.s"}, exitUsage, "flag provided but not defined"},
		{[]string{"run", filepath.Join(dir, "missing.s")}, exitLoad, "missing.s"},
		{[]string{"run", bad}, exitLoad, "vbin"},
		// A device named on the command line is refused from its first
		// bytes, not read to the 64 MiB limit first.
		{[]string{"run", "/dev/zero"}, exitLoad, `/dev/zero: not a program: a NUL byte at offset 0, and it does not start with the .vbin magic "VBIN"`},
		{[]string{"asm", "/dev/zero"}, exitLoad, "/dev/zero: not a program: a NUL byte at offset 0"},
		{[]string{"disasm"}, exitUsage, "usage: vcpu disasm"},
		{[]string{"compare", "a.s"}, exitUsage, "exactly two programs, not 1\nusage: vcpu compare [flags] A.s B.s\n(see `vcpu help compare`)"},
		{[]string{"compare", "a.s", "b.s", "c.s"}, exitUsage, "exactly two programs, not 3"},
		{[]string{"asm"}, exitUsage, "usage: vcpu asm PROG.s [-o PROG.vbin]"},
		{[]string{"disasm"}, exitUsage, "usage: vcpu disasm PROG.vbin|PROG.s"},
		{[]string{"bench", "x.s"}, exitUsage, "usage: vcpu bench [-steps N]"},
		{[]string{"bench", "--nope"}, exitUsage, "vcpu: flag provided but not defined: -nope\nusage: vcpu bench [-steps N]"},
		{[]string{"demo", "x.s"}, exitUsage, "usage: vcpu demo [flags]\n"},
		{[]string{"version", "x"}, exitUsage, "usage: vcpu version\n"},
		{[]string{"help", "run", "asm"}, exitUsage, "usage: vcpu help [COMMAND]"},
		{[]string{"run", "-h"}, exitUsage, "usage: vcpu run [flags] PROG...\n"},
	}
	for _, tc := range tests {
		_, stderr, status := vcpu(t, tc.args...)
		if status != tc.status || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("vcpu %s: status %d, stderr %q; want %d and %q", strings.Join(tc.args, " "), status, stderr, tc.status, tc.stderr)
		}
	}
}

// A program assembled ahead of time runs the same as its source, and its
// disassembly assembles to the same bytes.
func TestAsmDisasmRun(t *testing.T) {
	dir := t.TempDir()
	src := "../../programs/demo.s"
	bin := filepath.Join(dir, "demo.vbin")
	if _, stderr, st := vcpu(t, "asm", src, "-o", bin); st != 0 {
		t.Fatalf("asm: %d %s", st, stderr)
	}
	fromSrc, _, st1 := vcpu(t, "run", src)
	fromBin, _, st2 := vcpu(t, "run", bin)
	if fromSrc != fromBin || st1 != st2 || st1 != 0 {
		t.Errorf("source run %q (%d), binary run %q (%d)", fromSrc, st1, fromBin, st2)
	}
	listing, stderr, st := vcpu(t, "disasm", bin)
	if st != 0 {
		t.Fatalf("disasm: %d %s", st, stderr)
	}
	relisted := filepath.Join(dir, "relisted.s")
	os.WriteFile(relisted, []byte(listing), 0o644)
	bin2 := filepath.Join(dir, "relisted.vbin")
	if _, stderr, st := vcpu(t, "asm", relisted, "-o", bin2); st != 0 {
		t.Fatalf("the listing does not assemble: %s", stderr)
	}
	fromList, _, _ := vcpu(t, "run", bin2)
	if fromList != fromSrc {
		t.Errorf("the relisted program prints %q, want %q", fromList, fromSrc)
	}
}

// Racing threads give the same interleaving, output and figures every run.
func TestDeterminism(t *testing.T) {
	dir := t.TempDir()
	for _, prog := range []string{"../../programs/race.s", "../../programs/work_procs.s", "testdata/pipe_writers.s"} {
		if _, err := os.Stat(prog); err != nil {
			t.Fatal(err)
		}
		var outs, stats []string
		for i := range 2 {
			js := filepath.Join(dir, "s.json")
			out, stderr, st := vcpu(t, "run", "--quantum", "7", "--stats-json", js, prog)
			b, _ := os.ReadFile(js)
			outs = append(outs, out+stderr+string(rune('0'+st)))
			stats = append(stats, string(b))
			if i == 1 && (outs[0] != outs[1] || stats[0] != stats[1]) {
				t.Errorf("%s: two runs differ", prog)
			}
		}
		if len(stats[0]) < 100 {
			t.Errorf("%s: no statistics written", prog)
		}
	}
}

func TestStatsJSON(t *testing.T) {
	js := filepath.Join(t.TempDir(), "s.json")
	_, stderr, st := vcpu(t, "run", "--stats", "--stats-json", js, "../../programs/work_procs.s")
	if st != 0 {
		t.Fatalf("status %d: %s", st, stderr)
	}
	var s map[string]any
	b, _ := os.ReadFile(js)
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"instructions", "cycles", "process_switches", "thread_switches", "tlb_hits", "tlb_misses", "tlb_flushes", "faults", "processes"} {
		if _, ok := s[key]; !ok {
			t.Errorf("no key %q", key)
		}
	}
	procs := s["processes"].([]any)
	if len(procs) != 5 {
		t.Fatalf("%d processes, want 5", len(procs))
	}
	for _, key := range []string{"pid", "name", "threads", "instructions", "tlb_misses", "frames", "exit_status"} {
		if _, ok := procs[1].(map[string]any)[key]; !ok {
			t.Errorf("no process key %q", key)
		}
	}
	if s["process_switches"].(float64) == 0 || s["tlb_flushes"] != s["process_switches"] {
		t.Errorf("process switches %v, flushes %v: want equal and non-zero", s["process_switches"], s["tlb_flushes"])
	}
	for _, want := range []string{"process switches", "TLB flushes", "work_procs"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("--stats table lacks %q", want)
		}
	}
}

// The trace parses back as trace-event JSON and agrees with the counters:
// one instant per process switch and TLB flush, balanced running slices.
func TestTrace(t *testing.T) {
	dir := t.TempDir()
	tr, js := filepath.Join(dir, "t.json"), filepath.Join(dir, "s.json")
	if _, stderr, st := vcpu(t, "run", "--trace", tr, "--stats-json", js, "../../programs/work_procs.s", "../../programs/work_threads.s"); st != 0 {
		t.Fatalf("status %d: %s", st, stderr)
	}
	var trace struct {
		TraceEvents []struct {
			Name, Ph string
			Ts       uint64
			Pid, Tid int
			Args     map[string]any
		}
	}
	b, _ := os.ReadFile(tr)
	if err := json.Unmarshal(b, &trace); err != nil {
		t.Fatalf("trace is not JSON: %v", err)
	}
	var stats struct {
		ProcessSwitches uint64 `json:"process_switches"`
		ThreadSwitches  uint64 `json:"thread_switches"`
		TLBFlushes      uint64 `json:"tlb_flushes"`
		Syscalls        uint64 `json:"syscalls"`
	}
	b, _ = os.ReadFile(js)
	json.Unmarshal(b, &stats)
	count := map[string]uint64{}
	open := map[int]int{}
	var last uint64
	for _, e := range trace.TraceEvents {
		count[e.Name+"/"+e.Ph]++
		if e.Ph == "B" {
			open[e.Tid]++
		}
		if e.Ph == "E" {
			open[e.Tid]--
		}
		if e.Ph != "M" && e.Ts < last {
			t.Fatalf("time goes backwards at %+v", e)
		}
		if e.Ph != "M" {
			last = e.Ts
		}
	}
	if count["process switch/i"] != stats.ProcessSwitches || count["thread switch/i"] != stats.ThreadSwitches || count["TLB flush/i"] != stats.TLBFlushes {
		t.Errorf("trace has %d process switches, %d thread switches, %d flushes; stats %+v",
			count["process switch/i"], count["thread switch/i"], count["TLB flush/i"], stats)
	}
	for tid, n := range open {
		if n != 0 {
			t.Errorf("tid %d: %d running slices left open", tid, n)
		}
	}
	if count["running/B"] == 0 || count["process_name/M"] != 6 {
		t.Errorf("running slices %d, process names %d (want 6)", count["running/B"], count["process_name/M"])
	}
}

func TestCompare(t *testing.T) {
	out, stderr, st := vcpu(t, "compare", "../../programs/work_procs.s", "../../programs/work_threads.s")
	if st != 0 {
		t.Fatalf("status %d: %s", st, stderr)
	}
	for _, want := range []string{"work_procs", "work_threads", "TLB flushes", "cycles per switch", "ratio"} {
		if !strings.Contains(out, want) {
			t.Errorf("compare output lacks %q:\n%s", want, out)
		}
	}
}

// compare shows each run's outcome beside its figures, and its exit status
// says whether both runs ended normally.
func TestCompareOutcome(t *testing.T) {
	threads := "../../programs/work_threads.s"
	tests := []struct {
		args    []string
		status  int
		outcome string
		note    string
	}{
		{[]string{"testdata/compare/crash.s", threads}, 139, "segmentation fault (139)", "crash did not end normally (segmentation fault (139))"},
		{[]string{threads, "testdata/compare/crash.s"}, 139, "segmentation fault (139)", "crash did not end normally"},
		{[]string{"--max-steps", "1000", "testdata/compare/spin.s", "testdata/compare/crash.s"}, 124, "step limit (124)", "spin did not end normally (step limit (124))"},
		{[]string{"testdata/deadlock_report.s", threads}, 3, "deadlock (3)", "deadlock_report did not end normally"},
		{[]string{threads, threads}, 0, "exit 0", ""},
		{[]string{"testdata/compare/killed.s", threads}, 137, "killed by pid 2 (137)", "killed did not end normally (killed by pid 2 (137))"},
		{[]string{"testdata/compare/divide.s", threads}, 136, "arithmetic fault (136)", "divide did not end normally (arithmetic fault (136))"},
		{[]string{"testdata/compare/illegal.s", threads}, 132, "illegal instruction (132)", "illegal did not end normally (illegal instruction (132))"},
	}
	for _, tc := range tests {
		out, stderr, st := vcpu(t, append([]string{"compare"}, tc.args...)...)
		var row string
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, "outcome") {
				row = line
			}
		}
		if st != tc.status || !strings.Contains(row, tc.outcome) || !strings.Contains(out, tc.note) {
			t.Errorf("compare %v: status %d, outcome row %q; want %d, %q and %q\n%s%s", tc.args, st, row, tc.status, tc.outcome, tc.note, out, stderr)
		}
		if tc.note == "" && strings.Contains(out, "did not end normally") {
			t.Errorf("compare %v: %s", tc.args, out)
		}
	}
}

// --fs preloads the in-memory file system from a folder and, with
// --fs-save, writes it back; without --fs-save the folder is left alone.
func TestFSFolder(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "copy.s")
	os.WriteFile(prog, []byte(`
        .data
in:     .asciz "in.txt"
out:    .asciz "out.txt"
        .bss
buf:    .space 64
        .text
main:   mov  r0, SYS_OPEN
        mov  r1, in
        mov  r2, O_READ
        syscall
        mov  r1, r0
        mov  r0, SYS_READ
        mov  r2, buf
        mov  r3, 64
        syscall
        mov  r5, r0
        mov  r0, SYS_OPEN
        mov  r1, out
        mov  r2, O_WRITE
        syscall
        mov  r1, r0
        mov  r0, SYS_WRITE
        mov  r2, buf
        mov  r3, r5
        syscall
        mov  r0, 0
        ret
`), 0o644)
	data := filepath.Join(dir, "data")
	os.Mkdir(data, 0o755)
	os.WriteFile(filepath.Join(data, "in.txt"), []byte("carried across\n"), 0o644)
	if _, stderr, st := vcpu(t, "run", "--fs", data, prog); st != 0 {
		t.Fatalf("status %d: %s", st, stderr)
	}
	if _, err := os.Stat(filepath.Join(data, "out.txt")); err == nil {
		t.Error("without --fs-save the folder was written")
	}
	if _, stderr, st := vcpu(t, "run", "--fs", data, "--fs-save", prog); st != 0 {
		t.Fatalf("status %d: %s", st, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(data, "out.txt")); string(b) != "carried across\n" {
		t.Errorf("out.txt = %q", b)
	}
	if _, stderr, st := vcpu(t, "run", "--fs", data, "--fs-size", "4", prog); st != exitUsage || !strings.Contains(stderr, "in.txt") {
		t.Errorf("an oversized file: status %d, stderr %q", st, stderr)
	}
}

// The three fixes of race.s hold at every quantum from 1 to 40, while
// race.s itself loses updates at most of them: the lesson does not hang
// on one lucky quantum. (testdata/programs pins each program's output at
// the quanta its header shows.)
func TestRaceFixesHoldAtEveryQuantum(t *testing.T) {
	lossy := 0
	for q := 1; q <= 40; q++ {
		for _, prog := range []string{"race", "race_mutex", "race_spinlock", "race_atomic"} {
			out, stderr, st := vcpu(t, "run", "--quantum", fmt.Sprint(q), "../../programs/"+prog+".s")
			var counter, lost int
			_, err := fmt.Sscanf(out[strings.Index(out, "counter = "):], "counter = %d\nupdates lost: %d", &counter, &lost)
			if st != 0 || err != nil || counter+lost != 20000 {
				t.Fatalf("%s at quantum %d: status %d, %q, %v\n%s", prog, q, st, out, err, stderr)
			}
			switch {
			case prog != "race" && lost != 0:
				t.Errorf("%s at quantum %d lost %d updates", prog, q, lost)
			case prog == "race" && lost > 0:
				lossy++
			}
		}
	}
	if lossy < 20 {
		t.Errorf("race.s lost updates at only %d quanta of 40", lossy)
	}
}

// compare takes the machine's flags and --output, not run's reports, which
// it would silently ignore.
func TestCompareFlags(t *testing.T) {
	progs := []string{"../../programs/work_procs.s", "../../programs/work_threads.s"}
	if out, stderr, st := vcpu(t, append([]string{"compare", "--asid", "--quantum", "50"}, progs...)...); st != 0 || !strings.Contains(out, "quantum 50") || !strings.Contains(out, "ASID on") {
		t.Errorf("machine flags: status %d, %q %q", st, out, stderr)
	}
	if _, stderr, st := vcpu(t, append([]string{"compare", "--stats"}, progs...)...); st != exitUsage || !strings.Contains(stderr, "not defined: -stats") {
		t.Errorf("--stats: status %d, stderr %q; want a usage error", st, stderr)
	}
}

// A quantum that divides the loop hides the race; --seed shows it within a
// few seeds, and each seed gives the same count every run.
func TestSeedRace(t *testing.T) {
	prog := "testdata/seed_race.s"
	for _, q := range []string{"10", "20", "50", "100"} {
		if out, stderr, st := vcpu(t, "run", "--quantum", q, prog); out != "counter = 20000\n" || st != 0 {
			t.Errorf("quantum %s without a seed: %q (status %d, %s), want 20000: the regular quantum hides the race", q, out, st, stderr)
		}
	}
	for seed := range 4 {
		args := []string{"run", "--quantum", "10", "--seed", fmt.Sprint(seed), prog}
		out, _, st := vcpu(t, args...)
		var got int
		if _, err := fmt.Sscanf(out, "counter = %d", &got); err != nil || st != 0 || got >= 20000 || got < 10000 {
			t.Errorf("seed %d: %q (status %d), want lost updates", seed, out, st)
		}
		if again, _, _ := vcpu(t, args...); again != out {
			t.Errorf("seed %d: %q then %q: a seed must give the same run", seed, out, again)
		}
	}
	if _, stderr, st := vcpu(t, "run", "--seed", "x", prog); st != exitUsage || !strings.Contains(stderr, `"x" is not a seed`) {
		t.Errorf("--seed x: status %d, %q", st, stderr)
	}
}
