package kernel

import "vcpu/cpu"

// Summary is the figures of a run, machine-wide and per process and thread:
// what --stats prints and --stats-json writes (docs/STATS.md lists every key).
type Summary struct {
	Instructions    uint64           `json:"instructions"`
	Cycles          uint64           `json:"cycles"`
	Ticks           uint64           `json:"ticks"`
	ProcessSwitches uint64           `json:"process_switches"`
	ThreadSwitches  uint64           `json:"thread_switches"`
	TLBHits         uint64           `json:"tlb_hits"`
	TLBMisses       uint64           `json:"tlb_misses"`
	TLBEvictions    uint64           `json:"tlb_evictions"`
	TLBFlushes      uint64           `json:"tlb_flushes"`
	Faults          uint64           `json:"faults"`
	Syscalls        uint64           `json:"syscalls"`
	ClockJumps      uint64           `json:"clock_jumps"`
	ASID            bool             `json:"asid"`
	Quantum         uint64           `json:"quantum"`
	Seed            *uint64          `json:"seed,omitempty"` // --seed, absent without
	TLBSize         int              `json:"tlb_size"`
	Costs           CostSummary      `json:"costs"`
	Outcome         string           `json:"outcome"`
	ExitStatus      int              `json:"exit_status"`
	Processes       []ProcessSummary `json:"processes"`
	// ProcessesDropped counts ended processes no longer in the table (it
	// keeps the last 256 collected ones), whose work is in the totals.
	ProcessesDropped int `json:"processes_dropped"`
}

// CostSummary splits the cycles by what they paid for.
type CostSummary struct {
	InstructionCycles   uint64 `json:"instruction_cycles"`
	TLBMissCycles       uint64 `json:"tlb_miss_cycles"`
	SwitchCycles        uint64 `json:"switch_cycles"`
	AddressSwitchCycles uint64 `json:"address_switch_cycles"`
}

// ProcessSummary is one process's figures.
type ProcessSummary struct {
	PID          int    `json:"pid"`
	Name         string `json:"name"`
	Parent       int    `json:"parent"`
	Threads      int    `json:"threads"`
	Instructions uint64 `json:"instructions"`
	TLBMisses    uint64 `json:"tlb_misses"`
	Cycles       uint64 `json:"cycles"`
	Frames       int    `json:"frames"`
	PeakFrames   int    `json:"peak_frames"`
	State        string `json:"state"`
	ExitStatus   *int   `json:"exit_status"` // null while alive
	ExitReason   string `json:"exit_reason,omitempty"`
	// Fault and KilledBy are ExitReason for a program to read: the fault
	// that ended it (cpu.NoFault if none), the pid whose KILL did (0 if
	// none). Not in the JSON, whose exit_reason says both.
	Fault      cpu.FaultKind   `json:"-"`
	KilledBy   int             `json:"-"`
	ThreadList []ThreadSummary `json:"thread_list"`
}

// ThreadSummary is one thread's figures.
type ThreadSummary struct {
	TID          int    `json:"tid"`
	State        string `json:"state"`
	Instructions uint64 `json:"instructions"`
	TLBMisses    uint64 `json:"tlb_misses"`
	SwitchesIn   uint64 `json:"switches_in"`
	SwitchesOut  uint64 `json:"switches_out"`
	Cycles       uint64 `json:"cycles"`
}

// Summarize computes the figures so far. Cycles are derived from the
// counters by the cost model, so the hot loop never counts them.
func (k *Kernel) Summarize() Summary {
	c := k.cfg.Costs
	t := k.tlb.TLBStats
	s := Summary{
		Instructions: k.steps, Ticks: k.clock,
		ProcessSwitches: k.Stats.ProcessSwitches, ThreadSwitches: k.Stats.ThreadSwitches,
		TLBHits: t.Hits, TLBMisses: t.Misses, TLBEvictions: t.Evictions, TLBFlushes: t.Flushes,
		Faults: k.Stats.Faults, Syscalls: k.Stats.Syscalls, ClockJumps: k.Stats.ClockJumps,
		ASID: k.cfg.ASID, Quantum: k.cfg.Quantum, TLBSize: k.cfg.TLBSize,
		Outcome: k.outcome.String(), ExitStatus: k.ExitStatus(), ProcessesDropped: k.dropped,
	}
	if k.cfg.Seeded {
		seed := k.cfg.Seed
		s.Seed = &seed
	}
	switches := s.ProcessSwitches + s.ThreadSwitches
	s.Costs = CostSummary{
		InstructionCycles:   k.steps * c.Instruction,
		TLBMissCycles:       t.Misses * c.TLBMiss,
		SwitchCycles:        switches * c.ContextSwitch,
		AddressSwitchCycles: s.ProcessSwitches * c.AddressSwitch,
	}
	s.Cycles = s.Costs.InstructionCycles + s.Costs.TLBMissCycles + s.Costs.SwitchCycles + s.Costs.AddressSwitchCycles
	for _, p := range k.procs {
		ps := ProcessSummary{
			PID: p.PID, Name: p.Name, Parent: p.parentPID(), Threads: len(p.Threads),
			Instructions: p.Stats.Instructions, TLBMisses: p.Stats.TLBMisses,
			Frames: p.AS.PT.Mapped(), PeakFrames: p.Stats.PeakFrames, State: p.State.String(),
		}
		var procSwitchCycles uint64
		for _, th := range p.Threads {
			ts := ThreadSummary{
				TID: th.TID, State: th.State.String(), Instructions: th.Stats.Instructions,
				TLBMisses: th.Stats.TLBMisses, SwitchesIn: th.Stats.SwitchesIn, SwitchesOut: th.Stats.SwitchesOut,
			}
			ts.Cycles = ts.Instructions*c.Instruction + ts.TLBMisses*c.TLBMiss + th.Stats.SwitchesIn*c.ContextSwitch + th.Stats.ProcessSwitchesIn*c.AddressSwitch
			procSwitchCycles += ts.Cycles
			ps.ThreadList = append(ps.ThreadList, ts)
		}
		ps.Cycles = procSwitchCycles
		if !p.Live() {
			st := p.Status
			ps.ExitStatus, ps.ExitReason = &st, p.ExitReason
			if p.Ended != nil {
				ps.Fault, ps.KilledBy = p.Ended.FaultKind, p.Ended.KilledBy
			}
		}
		s.Processes = append(s.Processes, ps)
	}
	return s
}
