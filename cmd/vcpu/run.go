package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os/signal"
	"strings"
	"syscall"

	root "vcpu"
	"vcpu/image"
	"vcpu/internal/machineflags"
	"vcpu/internal/termsafe"
	"vcpu/kernel"
)

// machineFlags are the flags of every command that runs a machine: the
// machine's own (machineflags) and what to report about the run.
type machineFlags struct {
	*machineflags.Flags
	stats     bool
	statsJSON string
	trace     string
	fsDir     string
	fsSave    bool
	strace    bool
}

func newMachineFlags(name string) (*flag.FlagSet, *machineFlags) {
	fs := newFlagSet(name)
	m := &machineFlags{Flags: machineflags.Declare(fs)}
	fs.BoolVar(&m.stats, "stats", false, "print a summary table on stderr at the end")
	fs.StringVar(&m.statsJSON, "stats-json", "", "write the summary as JSON to `FILE`")
	fs.StringVar(&m.trace, "trace", "", "write a Chrome trace-event JSON of the run to `FILE` (open it in Perfetto)")
	fs.StringVar(&m.fsDir, "fs", "", "preload the in-memory file system from the files in `DIR` (read-only unless --fs-save)")
	fs.BoolVar(&m.fsSave, "fs-save", false, "with --fs: write the file system back to DIR when the run ends")
	fs.BoolVar(&m.strace, "strace", false, "print every system call on stderr as it happens: its arguments, its result and, for an error, why")
	return fs, m
}

// check refuses flags that make no sense together, before anything runs.
func (m *machineFlags) check() error {
	if m.fsSave && m.fsDir == "" {
		return errors.New("--fs-save needs --fs DIR: it writes the file system back to that folder")
	}
	return nil
}

func cmdRun(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, m := newMachineFlags("run")
	progs, err := m.Parse(fs, args)
	if err == nil {
		err = m.check()
	}
	if err != nil {
		return usageError(stderr, "run", err)
	}
	if len(progs) == 0 {
		return usageError(stderr, "run", errors.New("run needs at least one program"))
	}
	loaded, status := loadAll(progs, stderr)
	if loaded == nil {
		return status
	}
	return runMachine(m, loaded, stdin, stdout, stderr)
}

// loadAll assembles or decodes every program, reporting every failure.
func loadAll(paths []string, stderr io.Writer) ([]*image.Program, int) {
	var progs []*image.Program
	failed := false
	for _, path := range paths {
		p, err := root.LoadFile(path)
		if err != nil {
			fmt.Fprintln(stderr, strings.TrimRight(err.Error(), "\n"))
			failed = true
			continue
		}
		progs = append(progs, p)
	}
	if failed {
		return nil, exitLoad
	}
	return progs, 0
}

// runMachine boots a kernel with the programs and runs it to the end, or
// until a SIGINT or SIGTERM stops it: either way it writes every report.
// Guest output and vcpu's own lines go through one bounded queue
// (hostOutput), written out in the order they happened.
func runMachine(m *machineFlags, progs []*image.Program, stdin io.Reader, stdout, stderr io.Writer) int {
	// A write to a closed pipe must fail with EPIPE, which the guest is
	// told, rather than end vcpu by SIGPIPE before any report is written.
	signal.Ignore(syscall.SIGPIPE)
	out := newHostOutput(stdout, stderr)
	defer out.Flush()
	log := out.Log()
	it := catchInterrupts()
	defer it.release()
	var k *kernel.Kernel
	in := &hostInput{r: stdin, before: out.Flush, intr: it.done, res: make(chan readResult, 1),
		stop: func() { why, _ := it.requested(); k.Interrupt(why) }}
	opts := kernel.Options{Stdin: in, Stdout: out.Stdout(), Stderr: out.Stderr(), Log: log, Load: root.Load}
	if m.strace {
		opts.Strace = out.Trace() // in order with the guests' output, like any of vcpu's lines
	}
	k, err := kernel.New(m.Config, opts)
	if err != nil {
		return usageError(stderr, "run", err)
	}
	rep, err := newReporter(k, m)
	if err != nil {
		fmt.Fprintf(log, "vcpu: %v\n", err)
		return exitUsage
	}
	if err := preloadFS(k, m.fsDir); err != nil {
		fmt.Fprintf(log, "vcpu: --fs: %v\n", err)
		return exitUsage
	}
	for _, p := range progs {
		if _, err := k.Start(p, 0); err != nil {
			fmt.Fprintf(log, "vcpu: cannot start %s: %v\n", termsafe.String(p.Path), err)
			return exitLoad
		}
	}
	for !k.Done() {
		if why, ok := it.requested(); ok {
			k.Interrupt(why)
		}
		k.Advance(runSlice)
		out.Flush()
	}
	status := k.ExitStatus()
	if err := rep.finish(log); err != nil {
		fmt.Fprintf(log, "vcpu: %v\n", err)
		return exitLoad
	}
	if m.fsSave {
		if errs := saveFS(k, m.fsDir); len(errs) > 0 {
			for _, err := range errs {
				fmt.Fprintf(log, "vcpu: --fs-save: %v\n", err)
			}
			return exitLoad
		}
	}
	// A loss that showed only after every guest had exited has been
	// reported on stderr (each of vcpu's lines writes the queue out); the
	// status stays pid 1's, as the contract says.
	return status
}

// runSlice is how many instructions run between the checks for a signal
// and the writes of pending output: a few milliseconds of host time.
const runSlice = 1 << 20
