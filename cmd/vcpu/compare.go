package main

import (
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	root "vcpu"
	"vcpu/cpu"
	"vcpu/internal/machineflags"
	"vcpu/internal/termsafe"
	"vcpu/kernel"
)

// cmdCompare runs two programs, each alone on a fresh machine with the same
// flags, and prints their statistics side by side: the way to see what the
// same work costs as processes and as threads.
func cmdCompare(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, m := newCompareFlags()
	progs, err := m.Parse(fs, args)
	if err != nil {
		return usageError(stderr, "compare", err)
	}
	if len(progs) != 2 {
		return usageError(stderr, "compare", fmt.Errorf("compare needs exactly two programs, not %d", len(progs)))
	}
	loaded, status := loadAll(progs, stderr)
	if loaded == nil {
		return status
	}
	var sums [2]kernel.Summary
	out := newHostOutput(stdout, stderr) // in order, as for run
	defer out.Flush()
	for i, p := range loaded {
		opts := kernel.Options{Stdin: stdin, Stdout: io.Discard, Stderr: io.Discard, Log: out.Log(), Load: root.Load}
		if m.showOutput {
			opts.Stdout, opts.Stderr = out.Stdout(), out.Stderr()
		}
		k, err := kernel.New(m.Config, opts)
		if err != nil {
			return usageError(stderr, "compare", err)
		}
		if _, err := k.Start(p, 0); err != nil {
			fmt.Fprintf(out.Log(), "vcpu: cannot start %s: %v\n", termsafe.String(p.Path), err)
			return exitLoad
		}
		for !k.Done() {
			k.Advance(runSlice)
			out.Flush()
		}
		sums[i] = k.Summarize()
	}
	writeComparison(out.Stdout(), [2]string{loaded[0].Name, loaded[1].Name}, sums, m.Config)
	return compareStatus(sums)
}

// compareStatus is compare's exit status: 0 when both runs ended normally
// (every process exited and pid 1 with status 0), else the status of the
// first run that did not, as `vcpu run` of it alone would exit.
func compareStatus(s [2]kernel.Summary) int {
	for i := range s {
		if s[i].ExitStatus != 0 {
			return s[i].ExitStatus
		}
	}
	return 0
}

// outcome says in a few words how a run ended, for the comparison's first
// row: "exit 0", "segmentation fault (139)", "deadlock (3)".
func outcome(s *kernel.Summary) string {
	switch s.Outcome {
	case kernel.Deadlock.String(), kernel.StepLimit.String():
		return fmt.Sprintf("%s (%d)", s.Outcome, s.ExitStatus)
	}
	if len(s.Processes) == 0 {
		return fmt.Sprintf("exit %d", s.ExitStatus)
	}
	switch p := &s.Processes[0]; {
	case p.KilledBy != 0:
		return fmt.Sprintf("killed by pid %d (%d)", p.KilledBy, s.ExitStatus)
	case p.Fault != cpu.NoFault:
		return fmt.Sprintf("%s (%d)", p.Fault, s.ExitStatus)
	}
	return fmt.Sprintf("exit %d", s.ExitStatus)
}

// compareFlags are the machine's flags, which both runs share, and whether
// to show the programs' output; the reports of `run` do not apply.
type compareFlags struct {
	*machineflags.Flags
	showOutput bool
}

func newCompareFlags() (*flag.FlagSet, *compareFlags) {
	fs := newFlagSet("compare")
	m := &compareFlags{Flags: machineflags.Declare(fs)}
	fs.BoolVar(&m.showOutput, "output", false, "show the programs' own output (discarded by default)")
	return fs, m
}

// switchOverhead is what switching cost a run, per switch: the save and
// restore, the address-space switches and the TLB misses. With the same work
// on both sides, the misses that differ are the ones the switches caused.
func switchOverhead(s *kernel.Summary) float64 {
	n := s.ProcessSwitches + s.ThreadSwitches
	if n == 0 {
		return 0
	}
	return float64(s.Costs.SwitchCycles+s.Costs.AddressSwitchCycles+s.Costs.TLBMissCycles) / float64(n)
}

func writeComparison(w io.Writer, names [2]string, s [2]kernel.Summary, cfg kernel.Config) {
	asid := "off"
	if cfg.ASID {
		asid = "on"
	}
	fmt.Fprintf(w, "quantum %d, TLB %d entries, ASID %s; costs: TLB miss %d, switch %d, address switch %d cycles\n\n",
		cfg.Quantum, cfg.TLBSize, asid, cfg.Costs.TLBMiss, cfg.Costs.ContextSwitch, cfg.Costs.AddressSwitch)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\t%s\t%s\t%s\t\n", names[0], names[1], "ratio")
	fmt.Fprintf(tw, "outcome\t%s\t%s\t\t\n", termsafe.String(outcome(&s[0])), termsafe.String(outcome(&s[1])))
	row := func(name string, a, b float64, format string) {
		ratio := "-"
		if b != 0 {
			ratio = fmt.Sprintf("%.2fx", a/b)
		} else if a != 0 {
			ratio = "inf"
		}
		fmt.Fprintf(tw, "%s\t"+format+"\t"+format+"\t%s\t\n", name, a, b, ratio)
	}
	u := func(f func(*kernel.Summary) uint64) (float64, float64) {
		return float64(f(&s[0])), float64(f(&s[1]))
	}
	rows := []struct {
		name string
		f    func(*kernel.Summary) uint64
	}{
		{"instructions", func(s *kernel.Summary) uint64 { return s.Instructions }},
		{"cycles", func(s *kernel.Summary) uint64 { return s.Cycles }},
		{"process switches", func(s *kernel.Summary) uint64 { return s.ProcessSwitches }},
		{"thread switches", func(s *kernel.Summary) uint64 { return s.ThreadSwitches }},
		{"TLB hits", func(s *kernel.Summary) uint64 { return s.TLBHits }},
		{"TLB misses", func(s *kernel.Summary) uint64 { return s.TLBMisses }},
		{"TLB flushes", func(s *kernel.Summary) uint64 { return s.TLBFlushes }},
		{"TLB miss cycles", func(s *kernel.Summary) uint64 { return s.Costs.TLBMissCycles }},
		// The two parts of a switch's cost apart, named as --stats names
		// them, so that the footer's sum can be done from the rows.
		{"switch cycles", func(s *kernel.Summary) uint64 { return s.Costs.SwitchCycles }},
		{"address-switch cycles", func(s *kernel.Summary) uint64 { return s.Costs.AddressSwitchCycles }},
		{"peak frames", func(s *kernel.Summary) uint64 {
			n := 0
			for _, p := range s.Processes {
				n += p.PeakFrames
			}
			return uint64(n)
		}},
	}
	for _, r := range rows {
		a, b := u(r.f)
		row(r.name, a, b, "%.0f")
	}
	row("cycles per switch", switchOverhead(&s[0]), switchOverhead(&s[1]), "%.1f")
	tw.Flush()
	fmt.Fprintf(w, "\n(cycles per switch = (switch + address-switch + TLB-miss cycles) / switches)\n")
	for i := range s {
		if s[i].ExitStatus != 0 {
			fmt.Fprintf(w, "%s did not end normally (%s): its figures cover the run up to there\n", termsafe.String(names[i]), termsafe.String(outcome(&s[i])))
		}
	}
}
