package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"vcpu/asm"
	"vcpu/kernel"
)

// machineFlags are the flags of every command that runs a machine.
type machineFlags struct {
	cfg       kernel.Config
	mem       sizeFlag
	stack     sizeFlag
	stats     bool
	statsJSON string
	trace     string
	fsDir     string
	fsSave    bool
}

// newMachineFlags declares the machine's flags on a new FlagSet whose
// defaults are kernel.DefaultConfig: one place states them.
func newMachineFlags(name string, out io.Writer) (*flag.FlagSet, *machineFlags) {
	m := &machineFlags{cfg: kernel.DefaultConfig()}
	m.mem = sizeFlag(m.cfg.MemSize)
	m.stack = sizeFlag(m.cfg.StackSize)
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	c := &m.cfg
	fs.Uint64Var(&c.Quantum, "quantum", c.Quantum, "instructions a thread runs before the timer preempts it")
	fs.IntVar(&c.TLBSize, "tlb", c.TLBSize, "TLB entries (fully associative, LRU)")
	fs.BoolVar(&c.ASID, "asid", c.ASID, "tag TLB entries with the address space instead of flushing on process switches")
	fs.Var(&m.mem, "mem", "physical memory in bytes (suffixes K, M, G)")
	fs.Uint64Var(&c.MaxSteps, "max-steps", c.MaxSteps, "stop after this many instructions, with status 124 (0: no limit)")
	fs.IntVar(&c.MaxProcs, "procs", c.MaxProcs, "processes alive at once (EAGAIN beyond)")
	fs.IntVar(&c.MaxThreads, "threads", c.MaxThreads, "live threads per process (EAGAIN beyond)")
	fs.Var(&m.stack, "stack", "bytes of each thread's stack (suffixes K, M)")
	fs.IntVar(&c.MaxFDs, "fds", c.MaxFDs, "open descriptors per process (EMFILE beyond)")
	fs.IntVar(&c.PipeSize, "pipe", c.PipeSize, "bytes a pipe or socket direction buffers")
	fs.IntVar(&c.FSSize, "fs-size", c.FSSize, "bytes the in-memory file system holds (ENOSPC beyond)")
	fs.Uint64Var(&c.Costs.TLBMiss, "cost-tlb-miss", c.Costs.TLBMiss, "cycles a TLB miss adds (page walk)")
	fs.Uint64Var(&c.Costs.ContextSwitch, "cost-switch", c.Costs.ContextSwitch, "cycles every context switch adds (save and restore registers)")
	fs.Uint64Var(&c.Costs.AddressSwitch, "cost-address-switch", c.Costs.AddressSwitch, "cycles a process switch adds on top (address-space switch)")
	fs.BoolVar(&m.stats, "stats", false, "print a summary table on stderr at the end")
	fs.StringVar(&m.statsJSON, "stats-json", "", "write the summary as JSON to `FILE`")
	fs.StringVar(&m.trace, "trace", "", "write a Chrome trace-event JSON of the run to `FILE` (open it in Perfetto)")
	fs.StringVar(&m.fsDir, "fs", "", "preload the in-memory file system from the files in `DIR` (read-only unless --fs-save)")
	fs.BoolVar(&m.fsSave, "fs-save", false, "with --fs: write the file system back to DIR when the run ends")
	return fs, m
}

// parse reads flags wherever they stand among the program names, so that
// `vcpu run prog.s --stats` works as well as `vcpu run --stats prog.s`.
func (m *machineFlags) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var progs []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		progs = append(progs, args[0])
		args = args[1:]
	}
	m.cfg.MemSize = int(m.mem)
	m.cfg.StackSize = uint32(m.stack)
	return progs, m.cfg.Validate()
}

func cmdRun(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, m := newMachineFlags("run", stderr)
	progs, err := m.parse(fs, args)
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
func loadAll(paths []string, stderr io.Writer) ([]*asm.Program, int) {
	var progs []*asm.Program
	failed := false
	for _, path := range paths {
		p, err := asm.Load(path)
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
func runMachine(m *machineFlags, progs []*asm.Program, stdin io.Reader, stdout, stderr io.Writer) int {
	out, errOut := bufio.NewWriter(stdout), bufio.NewWriter(stderr)
	defer out.Flush()
	defer errOut.Flush()
	k, err := kernel.New(m.cfg, kernel.Options{Stdin: stdin, Stdout: out, Stderr: errOut, Load: asm.Load})
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
			fmt.Fprintf(errOut, "vcpu: cannot start %s: %v\n", p.Path, err)
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
	if m.fsSave && m.fsDir != "" {
		if err := saveFS(k, m.fsDir); err != nil {
			fmt.Fprintf(errOut, "vcpu: --fs-save: %v\n", err)
			return exitLoad
		}
	}
	return k.ExitStatus()
}

// preloadFS copies the regular files at the top of dir into the machine's
// file system. Its names are flat, like the machine's.
func preloadFS(k *kernel.Kernel, dir string) error {
	if dir == "" {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		if err := k.WriteFile(e.Name(), b); err != nil {
			return fmt.Errorf("%s: %v (the file system holds %d bytes; see --fs-size)", e.Name(), err, k.Config().FSSize)
		}
	}
	return nil
}

// saveFS writes every file of the machine back to dir.
func saveFS(k *kernel.Kernel, dir string) error {
	for _, f := range k.Files() {
		b, _ := k.ReadFile(f.Name)
		if err := os.WriteFile(filepath.Join(dir, f.Name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func usageError(stderr io.Writer, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitUsage
	}
	fmt.Fprintf(stderr, "vcpu: %v\n(see `vcpu help run`)\n", err)
	return exitUsage
}

// sizeFlag is a byte count written as 1048576, 1024K, 1M or 1G.
type sizeFlag int

func (s *sizeFlag) String() string { return strconv.Itoa(int(*s)) }

func (s *sizeFlag) Set(v string) error {
	mult := 1
	t := strings.ToUpper(strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(v), "IB"), "B"))
	switch {
	case strings.HasSuffix(t, "K"):
		mult, t = 1<<10, t[:len(t)-1]
	case strings.HasSuffix(t, "M"):
		mult, t = 1<<20, t[:len(t)-1]
	case strings.HasSuffix(t, "G"):
		mult, t = 1<<30, t[:len(t)-1]
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 || n > (1<<31)/mult {
		return fmt.Errorf("%q is not a size (try 1048576, 1024K or 1M)", v)
	}
	*s = sizeFlag(n * mult)
	return nil
}
