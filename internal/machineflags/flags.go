// Package machineflags declares the command-line flags that configure a
// machine (kernel.Config), once, for every command that runs one: vcpu run,
// compare and demo, and the window, vcpu-gui.
package machineflags

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"vcpu/kernel"
)

// Flags holds a configuration being read from flags; Parse finishes it.
type Flags struct {
	Config kernel.Config
	mem    Size
	stack  Size
}

// Declare puts the machine's flags on fs with kernel.DefaultConfig's
// defaults, so the defaults are stated in one place.
func Declare(fs *flag.FlagSet) *Flags {
	f := &Flags{Config: kernel.DefaultConfig()}
	c := &f.Config
	f.mem, f.stack = Size(c.MemSize), Size(c.StackSize)
	fs.Uint64Var(&c.Quantum, "quantum", c.Quantum, "instructions a thread runs before the timer preempts it")
	fs.IntVar(&c.TLBSize, "tlb", c.TLBSize, "TLB entries (fully associative, LRU)")
	fs.BoolVar(&c.ASID, "asid", c.ASID, "tag TLB entries with the address space instead of flushing on process switches")
	fs.Var(&f.mem, "mem", "physical memory in bytes (suffixes K, M, G)")
	fs.Uint64Var(&c.MaxSteps, "max-steps", c.MaxSteps, "stop after this many instructions, with status 124 (0: no limit)")
	fs.Func("seed", "draw each quantum's length at random in 1..quantum, from SplitMix64 seeded with `N`: "+
		"preemption falls anywhere, so a race shows within a few seeds; each seed gives the same run every time", func(v string) error {
		n, err := strconv.ParseUint(v, 0, 64)
		if err != nil {
			return fmt.Errorf("%q is not a seed (a number from 0 to 2^64-1)", v)
		}
		c.Seed, c.Seeded = n, true
		return nil
	})
	fs.IntVar(&c.MaxProcs, "procs", c.MaxProcs, "processes alive at once (EAGAIN beyond)")
	fs.IntVar(&c.MaxThreads, "threads", c.MaxThreads, "live threads per process (EAGAIN beyond)")
	fs.Var(&f.stack, "stack", "bytes of each thread's stack (suffixes K, M)")
	fs.IntVar(&c.MaxFDs, "fds", c.MaxFDs, "open descriptors per process (EMFILE beyond)")
	fs.IntVar(&c.PipeSize, "pipe", c.PipeSize, "bytes a pipe or socket direction buffers")
	fs.IntVar(&c.FSSize, "fs-size", c.FSSize, "bytes the in-memory file system holds, names included (ENOSPC beyond)")
	fs.IntVar(&c.FSFiles, "fs-files", c.FSFiles, "files the in-memory file system holds (ENOSPC beyond)")
	fs.Uint64Var(&c.Costs.TLBMiss, "cost-tlb-miss", c.Costs.TLBMiss, "cycles a TLB miss adds (page walk)")
	fs.Uint64Var(&c.Costs.ContextSwitch, "cost-switch", c.Costs.ContextSwitch, "cycles every context switch adds (save and restore registers)")
	fs.Uint64Var(&c.Costs.AddressSwitch, "cost-address-switch", c.Costs.AddressSwitch, "cycles a process switch adds on top (address-space switch)")
	return f
}

// Parse reads fs's flags wherever they stand among the program names, so
// that `vcpu run prog.s --stats` works as well as `vcpu run --stats prog.s`,
// and returns the program names with the configuration checked.
func (f *Flags) Parse(fs *flag.FlagSet, args []string) ([]string, error) {
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
	f.Config.MemSize = int(f.mem)
	f.Config.StackSize = uint32(f.stack)
	return progs, f.Config.Validate()
}

// Size is a byte count written as 1048576, 1024K, 1M or 1G (KiB, MiB and
// GiB also read).
type Size int

func (s *Size) String() string { return strconv.Itoa(int(*s)) }

func (s *Size) Set(v string) error {
	mult := 1
	t := strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(v), "IB"), "B")
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
	*s = Size(n * mult)
	return nil
}
