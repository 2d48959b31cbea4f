package main

import (
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"vcpu/asm"
	"vcpu/internal/machineflags"
	"vcpu/internal/termsafe"
	"vcpu/kernel"
)

// cmdCompare runs two programs, each alone on a fresh machine with the same
// flags, and prints their statistics side by side: the way to see what the
// same work costs as processes and as threads.
func cmdCompare(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, m := newCompareFlags(stderr)
	progs, err := m.Parse(fs, args)
	if err != nil {
		return usageError(stderr, err)
	}
	if len(progs) != 2 {
		return usageError(stderr, fmt.Errorf("compare needs exactly two programs"))
	}
	loaded, status := loadAll(progs, stderr)
	if loaded == nil {
		return status
	}
	var sums [2]kernel.Summary
	for i, p := range loaded {
		out := io.Discard
		if m.showOutput {
			out = stdout
		}
		k, err := kernel.New(m.Config, kernel.Options{Stdin: stdin, Stdout: out, Stderr: stderr, Load: asm.Load})
		if err != nil {
			return usageError(stderr, err)
		}
		if _, err := k.Start(p, 0); err != nil {
			fmt.Fprintf(stderr, "vcpu: cannot start %s: %v\n", termsafe.Escape(p.Path), err)
			return exitLoad
		}
		k.Run()
		sums[i] = k.Summarize()
	}
	writeComparison(stdout, [2]string{loaded[0].Name, loaded[1].Name}, sums, m.Config)
	return 0
}

// compareFlags are the machine's flags, which both runs share, and whether
// to show the programs' output; the reports of `run` do not apply.
type compareFlags struct {
	*machineflags.Flags
	showOutput bool
}

func newCompareFlags(out io.Writer) (*flag.FlagSet, *compareFlags) {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(out)
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
		{"switch cycles", func(s *kernel.Summary) uint64 { return s.Costs.SwitchCycles + s.Costs.AddressSwitchCycles }},
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
}
