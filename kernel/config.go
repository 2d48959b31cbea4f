package kernel

import (
	"fmt"

	"vcpu/cpu"
)

// Config is every tunable of a run in one place (xv6's param.h), with the
// defaults below. It is passed in, never read from globals, so two machines
// in one host process (a test, or the window's compare view) never interfere.
type Config struct {
	Quantum  uint64 // instructions a thread runs before the timer preempts it
	TLBSize  int    // TLB entries (fully associative, LRU)
	ASID     bool   // tag TLB entries by address space instead of flushing on process switches
	MemSize  int    // bytes of physical memory, shared by all processes
	MaxSteps uint64 // stop the run after this many instructions (0: no limit)
	// Seeded makes preemption irregular, as real timer interrupts are
	// (--seed): every quantum's length is drawn at its dispatch as
	// 1 + next()%Quantum from SplitMix64 seeded with Seed (seed.go).
	// Without it every quantum is exactly Quantum.
	Seeded bool
	Seed   uint64

	MaxProcs   int    // processes alive (running or not yet waited for) at once
	MaxThreads int    // live threads per process
	StackSize  uint32 // bytes of each thread's stack segment
	MaxFDs     int    // open descriptors per process
	PipeSize   int    // bytes a pipe or socket direction buffers
	FSSize     int    // bytes all files of the in-memory file system may hold, names included
	FSFiles    int    // files the in-memory file system may hold

	Costs Costs
}

// Costs is the cycle model: what the counters are weighed by to compare runs.
// docs/COSTS.md justifies the defaults.
type Costs struct {
	Instruction   uint64 // cycles per instruction
	TLBMiss       uint64 // extra cycles for a page walk
	ContextSwitch uint64 // saving and restoring a register set, on every switch
	AddressSwitch uint64 // extra for a process switch: loading the page-table base
}

// DefaultConfig is the configuration of a plain `vcpu run`.
func DefaultConfig() Config {
	return Config{
		Quantum:    100,
		TLBSize:    16,
		MemSize:    1 << 20,
		MaxProcs:   64,
		MaxThreads: 32,
		StackSize:  16 << 10,
		MaxFDs:     16,
		PipeSize:   512,
		FSSize:     256 << 10,
		FSFiles:    256,
		Costs:      Costs{Instruction: 1, TLBMiss: 20, ContextSwitch: 50, AddressSwitch: 100},
	}
}

// Validate rejects a configuration the machine cannot run with.
func (c Config) Validate() error {
	switch {
	case c.Quantum == 0:
		return fmt.Errorf("quantum must be at least 1 instruction")
	case c.TLBSize < 1 || c.TLBSize > 4096:
		return fmt.Errorf("tlb must have 1 to 4096 entries, not %d", c.TLBSize)
	case c.MemSize < 16*cpu.PageSize || c.MemSize > 1<<30:
		return fmt.Errorf("mem must be between 64 KiB and 1 GiB, not %d bytes", c.MemSize)
	case c.MaxProcs < 1 || c.MaxThreads < 1 || c.MaxFDs < 3:
		return fmt.Errorf("limits too small: procs %d, threads %d, fds %d", c.MaxProcs, c.MaxThreads, c.MaxFDs)
	case c.StackSize < cpu.PageSize || c.StackSize > 16<<20 || c.StackSize%4 != 0:
		return fmt.Errorf("stack size must be a multiple of 4 between 4 KiB and 16 MiB, not %d", c.StackSize)
	case c.FSSize < 0 || c.FSSize > 1<<30:
		return fmt.Errorf("file system size must be between 0 and 1 GiB, not %d", c.FSSize)
	case c.FSFiles < 0 || c.FSFiles > 1<<16:
		return fmt.Errorf("file system must hold between 0 and 65536 files, not %d", c.FSFiles)
	case c.PipeSize < 512 || c.PipeSize > 1<<20:
		return fmt.Errorf("pipe size must be between 512 bytes and 1 MiB, not %d", c.PipeSize)
	}
	return nil
}
