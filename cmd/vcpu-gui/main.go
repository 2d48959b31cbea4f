// Command vcpu-gui is vcpu's desktop window: it runs programs (or the
// built-in demo) on the machine and shows memory, registers, segments, the
// TLB, thread states and a timeline live. `vcpu gui` and a bare `vcpu`
// start it when a display is available. It is its own executable because
// Ebiten needs a display the moment it is linked in.
//
// Usage: vcpu-gui [flags] [PROG.s|PROG.vbin ...]
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	root "vcpu"
	"vcpu/asm"
	"vcpu/kernel"
	"vcpu/window"
	"vcpu/window/model"
)

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	cfg := kernel.DefaultConfig()
	mem := sizeFlag(cfg.MemSize)
	var opts window.Options
	fs := flag.NewFlagSet("vcpu-gui", flag.ContinueOnError)
	fs.Uint64Var(&cfg.Quantum, "quantum", cfg.Quantum, "instructions a thread runs before the timer preempts it")
	fs.IntVar(&cfg.TLBSize, "tlb", cfg.TLBSize, "TLB entries (fully associative, LRU)")
	fs.BoolVar(&cfg.ASID, "asid", cfg.ASID, "tag TLB entries with the address space instead of flushing on process switches")
	fs.Var(&mem, "mem", "physical memory in bytes (suffixes K, M, G)")
	fs.Uint64Var(&cfg.MaxSteps, "max-steps", cfg.MaxSteps, "stop after this many instructions (0: no limit)")
	fs.IntVar(&cfg.MaxProcs, "procs", cfg.MaxProcs, "processes alive at once")
	fs.IntVar(&cfg.MaxThreads, "threads", cfg.MaxThreads, "live threads per process")
	fs.IntVar(&opts.Frames, "frames", 0, "draw `N` frames, write -out and exit (0: run until quit)")
	fs.StringVar(&opts.Out, "out", "", "with -frames: write the last frame as a PNG to `FILE`")
	fs.BoolVar(&opts.Check, "check", false, "with -frames: exit 1 if known pixels of the last frame are wrong")
	speed := fs.Uint64("speed", model.Speeds[model.DefaultSpeed], "instructions per frame at the start (one of 1, 10, 100, 1000, 10000)")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: vcpu-gui [flags] [PROG.s|PROG.vbin ...]  (no programs: the built-in demo)")
		fs.PrintDefaults()
	}
	paths, err := parse(fs, args)
	if err == nil {
		cfg.MemSize = int(mem)
		err = cfg.Validate()
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 2
		}
		fmt.Fprintf(os.Stderr, "vcpu-gui: %v\n", err)
		return 2
	}
	progs, title, status := load(paths)
	if progs == nil {
		return status
	}
	s, err := model.NewSession(cfg, progs, title, os.Stdout)
	if err != nil {
		fmt.Fprintf(os.Stderr, "vcpu-gui: %v\n", err)
		return 1
	}
	for s.Speed() < *speed && s.Speed() < model.Speeds[len(model.Speeds)-1] {
		s.Faster()
	}
	for s.Speed() > *speed && s.Speed() > model.Speeds[0] {
		s.Slower()
	}
	if err := window.Run(s, opts); err != nil {
		fmt.Fprintf(os.Stderr, "vcpu-gui: %v\n", err)
		return 1
	}
	return 0
}

// parse reads flags wherever they stand among the program names, as `vcpu
// run` does.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var progs []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return progs, nil
		}
		progs = append(progs, args[0])
		args = args[1:]
	}
}

// load assembles or decodes the programs, or the built-in demo with none.
func load(paths []string) ([]*asm.Program, string, int) {
	if len(paths) == 0 {
		src, err := root.Programs.ReadFile(root.Demo)
		if err == nil {
			var p *asm.Program
			p, err = asm.Assemble(root.Demo, src, asm.Options{ReadFile: root.Programs.ReadFile})
			if err == nil {
				return []*asm.Program{p}, "the built-in demo (programs/demo.s)", 0
			}
		}
		fmt.Fprintln(os.Stderr, err)
		return nil, "", 1
	}
	var progs []*asm.Program
	var names []string
	failed := false
	for _, path := range paths {
		p, err := asm.Load(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, strings.TrimRight(err.Error(), "\n"))
			failed = true
			continue
		}
		progs = append(progs, p)
		names = append(names, p.Name)
	}
	if failed {
		return nil, "", 1
	}
	return progs, strings.Join(names, ", "), 0
}

// sizeFlag is a byte count written as 1048576, 1024K, 1M or 1G, as `vcpu
// run --mem` takes it.
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
