package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// These tests check what reaches the host and when: output in order and
// before input is awaited, failed host writes, and a run stopped by a
// signal. The signal tests run the real binary, since only a process can
// be sent SIGINT. TestFinding10* and TestFinding11* are the regression
// tests of issue 8's findings 10 (silent loss on /dev/full) and 11 (Ctrl-C
// lost every report and left the trace invalid).

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// TestMain removes the binary vcpuBinary built, if it built one.
func TestMain(m *testing.M) {
	code := m.Run()
	if builtBin != "" {
		os.RemoveAll(filepath.Dir(builtBin))
	}
	os.Exit(code)
}

// vcpuBinary builds cmd/vcpu once for the tests that need a process.
func vcpuBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "vcpu-test")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "vcpu")
		if out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput(); err != nil {
			buildErr = errors.New(string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v", buildErr)
	}
	return builtBin
}

// promptReader is a host stdin that records what the host's stdout held
// when the machine first asked for input.
type promptReader struct {
	out     *bytes.Buffer
	seen    string
	started bool
	input   io.Reader
}

func (r *promptReader) Read(p []byte) (int, error) {
	if !r.started {
		r.started, r.seen = true, r.out.String()
	}
	return r.input.Read(p)
}

// A prompt written before a READ of stdin is on the host before the
// machine waits for the answer.
func TestPromptBeforeRead(t *testing.T) {
	var out, errOut bytes.Buffer
	in := &promptReader{out: &out, input: strings.NewReader("ada\n")}
	st := dispatch([]string{"run", "testdata/hostio/prompt.s"}, in, &out, &errOut)
	if st != 0 || !in.started {
		t.Fatalf("status %d, read %v: %s", st, in.started, errOut.String())
	}
	if in.seen != "say something: " {
		t.Errorf("when the machine read stdin the host had %q, want the prompt %q", in.seen, "say something: ")
	}
}

// failingWriter fails every write with err.
type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

// A host stdout that fails is reported once; the guest's writes then fail
// with EPIPE for a closed pipe and EIO otherwise (write_fail.s exits with
// that errno); a guest that exits 0 before the loss shows keeps status 0.
func TestFinding10WriteFailureReported(t *testing.T) {
	tests := []struct {
		err    error
		errno  string
		status int
	}{
		{&os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.EPIPE}, "EPIPE", 32},
		{&os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.ENOSPC}, "EIO", 5},
	}
	for _, tc := range tests {
		var errOut bytes.Buffer
		st := dispatch([]string{"run", "testdata/hostio/write_fail.s"}, strings.NewReader(""), failingWriter{tc.err}, &errOut)
		msg := "vcpu: writing stdout: " + tc.err.(*os.PathError).Err.Error() + "; output to it is lost and the guests' writes to it now fail with " + tc.errno
		if st != tc.status || strings.Count(errOut.String(), "vcpu: writing stdout") != 1 || !strings.Contains(errOut.String(), msg) {
			t.Errorf("%v: status %d, stderr %q; want %d and once %q", tc.err, st, errOut.String(), tc.status, msg)
		}
	}
	// A guest that exits 0 before the loss shows: vcpu says so; the
	// status stays pid 1's (the contract's), 0.
	var errOut bytes.Buffer
	st := dispatch([]string{"run", "testdata/isolation_efault.s"}, strings.NewReader(""), failingWriter{syscall.ENOSPC}, &errOut)
	if st != 0 || strings.Count(errOut.String(), "vcpu: writing stdout: no space left on device") != 1 {
		t.Errorf("late loss: status %d, stderr %q; want 0 and the loss reported once", st, errOut.String())
	}
}

// /dev/full, the real thing: EIO to the guest, one message.
func TestFinding10DevFull(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full")
	}
	defer full.Close()
	var errOut bytes.Buffer
	st := dispatch([]string{"run", "testdata/hostio/write_fail.s"}, strings.NewReader(""), full, &errOut)
	if st != 5 || strings.Count(errOut.String(), "\n") != 1 || !strings.Contains(errOut.String(), "no space left on device") {
		t.Errorf("status %d, stderr %q; want 5 (EIO) and one line", st, errOut.String())
	}
}

// A guest flooding a pipe whose reader goes away gets EPIPE and the run
// ends at once, with one message, instead of vcpu dying of SIGPIPE.
func TestFinding10ClosedPipe(t *testing.T) {
	bin := vcpuBinary(t)
	cmd := exec.Command(bin, "run", "testdata/hostio/write_fail.s")
	stdout, _ := cmd.StdoutPipe()
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	io.ReadFull(stdout, make([]byte, 100))
	stdout.Close()
	if st := waitExit(t, cmd, "after its reader went away"); st != 32 || strings.Count(errOut.String(), "vcpu:") != 1 || !strings.Contains(errOut.String(), "broken pipe") {
		t.Errorf("status %d, stderr %q; want 32 (the guest's EPIPE) and one message", st, errOut.String())
	}
}

// startRun starts the binary on args and returns it once its stdout has
// shown something: the machine is running.
func startRun(t *testing.T, stdin io.Reader, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(vcpuBinary(t), args...)
	cmd.Stdin = stdin
	stdout, _ := cmd.StdoutPipe()
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	first := make(chan string, 1)
	go func() {
		b := make([]byte, 1)
		n, _ := stdout.Read(b)
		first <- string(b[:n])
		io.Copy(io.Discard, stdout)
	}()
	select {
	case got := <-first:
		if got == "" {
			cmd.Wait()
			t.Fatalf("no output from %v: %s", args, errOut.String())
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("no output from %v", args)
	}
	return cmd, &errOut
}

// waitExit waits for vcpu to end, which it must do at once after what
// happened (when), and returns its exit status.
func waitExit(t *testing.T, cmd *exec.Cmd, when string) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("vcpu did not end " + when)
	}
	return cmd.ProcessState.ExitCode()
}

// SIGINT stops an endless run as a step limit would: it says so, lists the
// live threads with their source lines, writes --stats, --stats-json, a
// --trace that is valid JSON and --fs-save, and exits 130. SIGTERM does the
// same.
func TestFinding11InterruptWritesReports(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		dir := t.TempDir()
		js, tr := filepath.Join(dir, "stats.json"), filepath.Join(dir, "trace.json")
		fsDir := t.TempDir()
		cmd, errOut := startRun(t, nil, "run", "--stats", "--stats-json", js, "--trace", tr, "--fs", fsDir, "--fs-save", "testdata/hostio/endless.s")
		time.Sleep(50 * time.Millisecond) // well into the loop
		cmd.Process.Signal(sig)
		if st := waitExit(t, cmd, "after the signal"); st != 130 {
			t.Errorf("%v: status %d, want 130\n%s", sig, st, errOut)
		}
		name := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[sig]
		for _, want := range []string{
			"vcpu: interrupted (" + name + ") after ",
			"; live threads:\n  pid 1 (endless) tid 1 ",
			"  pid 1 (endless) tid 2 ",
			"endless.s:",
			"(spin", "-- vcpu statistics (interrupted, exit status 130) --",
		} {
			if !strings.Contains(errOut.String(), want) {
				t.Errorf("%v: stderr lacks %q:\n%s", sig, want, errOut)
			}
		}
		var stats struct {
			Outcome      string `json:"outcome"`
			ExitStatus   int    `json:"exit_status"`
			Instructions uint64 `json:"instructions"`
		}
		if b, err := os.ReadFile(js); err != nil || json.Unmarshal(b, &stats) != nil || stats.Outcome != "interrupted" || stats.ExitStatus != 130 || stats.Instructions == 0 {
			t.Errorf("%v: --stats-json %+v (%v)", sig, stats, err)
		}
		if b, err := os.ReadFile(filepath.Join(fsDir, "saved.txt")); string(b) != "written before the signal\n" {
			t.Errorf("%v: --fs-save wrote %q (%v)", sig, b, err)
		}
		var trace struct{ TraceEvents []map[string]any }
		if b, err := os.ReadFile(tr); err != nil || json.Unmarshal(b, &trace) != nil || len(trace.TraceEvents) == 0 {
			t.Errorf("%v: --trace is not valid trace JSON (%v, %d bytes)", sig, err, len(b))
		}
	}
}

// A run waiting for host input that never comes is stopped by SIGINT too:
// the READ is cut short and the report says the thread waits in it.
func TestFinding11InterruptWhileReading(t *testing.T) {
	r, w, err := os.Pipe() // stdin that never has data
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	cmd, errOut := startRun(t, r, "run", "testdata/hostio/prompt.s")
	r.Close()
	time.Sleep(50 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	if st := waitExit(t, cmd, "after the signal"); st != 130 {
		t.Errorf("status %d, want 130\n%s", st, errOut)
	}
	want := "tid 1 running in READ (waiting for input from the host) at pc"
	if !strings.Contains(errOut.String(), want) || !strings.Contains(errOut.String(), "prompt.s:") {
		t.Errorf("stderr lacks %q and the READ's line:\n%s", want, errOut)
	}
}

// A program's name is a file name, which a guest can choose (SPAWN): in
// vcpu's messages its control characters come out escaped, so it cannot
// retitle the terminal or clear the screen.
func TestNamesAreTerminalSafe(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "evil\x1b]0;owned\x07.s")
	if err := os.WriteFile(prog, []byte("main: mov r1, 0\n ld r2, [r1]\n ret\n"), 0o644); err != nil {
		t.Skip("this file system refuses such names")
	}
	_, stderr, st := vcpu(t, "run", "--strace", prog)
	if st != 139 || strings.ContainsAny(stderr, "\x1b\x07") || !strings.Contains(stderr, `pid 1 (evil\x1b]0;owned\x07) tid 1 killed`) {
		t.Errorf("status %d, stderr %q", st, stderr)
	}
}

// Where stdout and stderr are one file (2>&1 into a pipe or a file), a kill
// line starts a line of its own after a guest's unfinished one; to two
// different files each gets exactly what was written to it.
func TestOwnLinesStartFreshWhereStreamsMeet(t *testing.T) {
	dir := t.TempDir()
	open := func(name string) *os.File {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	read := func(f *os.File) string {
		b, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	both := open("both")
	dispatch([]string{"run", "testdata/hostio/unfinished_line.s"}, strings.NewReader(""), both, both)
	if got := read(both); !strings.HasPrefix(got, "no newline\nvcpu: pid 1 (unfinished_line) tid 1 killed:") {
		t.Errorf("one file for both streams got %q; want the kill line on a line of its own", got)
	}
	out, errs := open("out"), open("err")
	dispatch([]string{"run", "testdata/hostio/unfinished_line.s"}, strings.NewReader(""), out, errs)
	if got := read(out); got != "no newline" {
		t.Errorf("stdout alone got %q; want exactly the guest's bytes", got)
	}
	if got := read(errs); !strings.HasPrefix(got, "vcpu: pid 1 (unfinished_line) tid 1 killed:") {
		t.Errorf("stderr alone got %q; want the kill line first", got)
	}
}
