package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"vcpu/asm"
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
}

func newMachineFlags(name string, out io.Writer) (*flag.FlagSet, *machineFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	m := &machineFlags{Flags: machineflags.Declare(fs)}
	fs.BoolVar(&m.stats, "stats", false, "print a summary table on stderr at the end")
	fs.StringVar(&m.statsJSON, "stats-json", "", "write the summary as JSON to `FILE`")
	fs.StringVar(&m.trace, "trace", "", "write a Chrome trace-event JSON of the run to `FILE` (open it in Perfetto)")
	fs.StringVar(&m.fsDir, "fs", "", "preload the in-memory file system from the files in `DIR` (read-only unless --fs-save)")
	fs.BoolVar(&m.fsSave, "fs-save", false, "with --fs: write the file system back to DIR when the run ends")
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
	fs, m := newMachineFlags("run", stderr)
	progs, err := m.Parse(fs, args)
	if err == nil {
		err = m.check()
	}
	if err != nil {
		return usageError(stderr, err)
	}
	if len(progs) == 0 {
		return usageError(stderr, errors.New("run needs at least one program"))
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
		p, err := asm.LoadFile(path)
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

// runMachine boots a kernel with the programs and runs it to the end. Guest
// output is buffered but flushed after every slice of the run and before
// returning, so nothing is lost however the run ends.
func runMachine(m *machineFlags, progs []*image.Program, stdin io.Reader, stdout, stderr io.Writer) int {
	out, errOut := bufio.NewWriter(stdout), bufio.NewWriter(stderr)
	defer out.Flush()
	defer errOut.Flush()
	k, err := kernel.New(m.Config, kernel.Options{Stdin: stdin, Stdout: out, Stderr: errOut, Load: asm.Load})
	if err != nil {
		return usageError(stderr, err)
	}
	rep, err := newReporter(k, m)
	if err != nil {
		fmt.Fprintf(errOut, "vcpu: %v\n", err)
		return exitUsage
	}
	if err := preloadFS(k, m.fsDir); err != nil {
		fmt.Fprintf(errOut, "vcpu: --fs: %v\n", err)
		return exitUsage
	}
	for _, p := range progs {
		if _, err := k.Start(p, 0); err != nil {
			fmt.Fprintf(errOut, "vcpu: cannot start %s: %v\n", termsafe.Escape(p.Path), err)
			return exitLoad
		}
	}
	for !k.Done() {
		k.Advance(1 << 20)
		out.Flush()
		errOut.Flush()
	}
	if err := rep.finish(errOut); err != nil {
		fmt.Fprintf(errOut, "vcpu: %v\n", err)
		return exitLoad
	}
	if m.fsSave {
		if errs := saveFS(k, m.fsDir); len(errs) > 0 {
			for _, err := range errs {
				fmt.Fprintf(errOut, "vcpu: --fs-save: %v\n", err)
			}
			return exitLoad
		}
	}
	return k.ExitStatus()
}

func usageError(stderr io.Writer, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitUsage
	}
	fmt.Fprintf(stderr, "vcpu: %v\n(see `vcpu help run`)\n", err)
	return exitUsage
}
