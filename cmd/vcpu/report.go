package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"vcpu/internal/termsafe"
	"vcpu/kernel"
)

// reporter writes what --stats, --stats-json and --trace ask for.
type reporter struct {
	k         *kernel.Kernel
	flags     *machineFlags
	trace     *kernel.ChromeTrace
	traceFile *os.File
	jsonFile  *os.File
}

// newReporter starts listening to k before it runs, for --trace; the other
// reports are read from the counters at the end. Both output files are
// created now, so that a path that cannot be written is refused before the
// run, not found out after it.
func newReporter(k *kernel.Kernel, m *machineFlags) (*reporter, error) {
	r := &reporter{k: k, flags: m}
	if m.statsJSON != "" {
		f, err := os.Create(m.statsJSON)
		if err != nil {
			return nil, fmt.Errorf("--stats-json: %w", err)
		}
		r.jsonFile = f
	}
	if m.trace != "" {
		f, err := os.Create(m.trace)
		if err != nil {
			if r.jsonFile != nil {
				r.jsonFile.Close()
			}
			return nil, fmt.Errorf("--trace: %w", err)
		}
		r.traceFile = f
		r.trace = kernel.NewChromeTrace(k, f)
	}
	return r, nil
}

// finish writes the reports once the run has ended.
func (r *reporter) finish(stderr io.Writer) error {
	if r.trace != nil {
		err := r.trace.Close()
		if cerr := r.traceFile.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("writing trace: %w", err)
		}
	}
	s := r.k.Summarize()
	if r.flags.stats {
		// One write: stderr here is vcpu's log, which writes each piece
		// out at once, and the tabwriter hands it a piece per cell.
		var b bytes.Buffer
		writeStatsTable(&b, &s)
		stderr.Write(b.Bytes())
	}
	if r.jsonFile != nil {
		b, err := json.MarshalIndent(&s, "", "  ")
		if err == nil {
			_, err = r.jsonFile.Write(append(b, '\n'))
		}
		if cerr := r.jsonFile.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("--stats-json: %w", err)
		}
	}
	return nil
}

// writeStatsTable prints the summary for a person.
func writeStatsTable(w io.Writer, s *kernel.Summary) {
	fmt.Fprintf(w, "\n-- vcpu statistics (%s, exit status %d) --\n", s.Outcome, s.ExitStatus)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(name string, v uint64, note string) { fmt.Fprintf(tw, "%s\t%d\t  %s\n", name, v, note) }
	row("instructions", s.Instructions, "")
	row("cycles", s.Cycles, fmt.Sprintf("= %d instr + %d TLB miss + %d switch + %d address switch",
		s.Costs.InstructionCycles, s.Costs.TLBMissCycles, s.Costs.SwitchCycles, s.Costs.AddressSwitchCycles))
	row("process switches", s.ProcessSwitches, "")
	row("thread switches", s.ThreadSwitches, "")
	row("TLB hits", s.TLBHits, "")
	row("TLB misses", s.TLBMisses, fmt.Sprintf("hit rate %.1f%%", pct(s.TLBHits, s.TLBHits+s.TLBMisses)))
	row("TLB evictions", s.TLBEvictions, "")
	asid := ""
	if s.ASID {
		asid = "(--asid: entries tagged, not flushed)"
	}
	row("TLB flushes", s.TLBFlushes, asid)
	row("faults", s.Faults, "")
	row("syscalls", s.Syscalls, "")
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "pid\tname\tthreads\tinstructions\tTLB misses\tcycles\tframes\tpeak\tstatus\t")
	for i, p := range s.Processes {
		if i == maxTableRows {
			fmt.Fprintf(tw, "...\t%d more processes (all in --stats-json)\t\t\t\t\t\t\t\t\n", len(s.Processes)-i)
			break
		}
		status := p.State
		if p.ExitStatus != nil {
			status = fmt.Sprint(*p.ExitStatus)
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t\n", p.PID, termsafe.String(p.Name), p.Threads, p.Instructions, p.TLBMisses, p.Cycles, p.Frames, p.PeakFrames, status)
	}
	tw.Flush()
	if s.ProcessesDropped > 0 {
		fmt.Fprintf(w, "(%d more ended processes were dropped from the table; their work is in the totals)\n", s.ProcessesDropped)
	}
}

// maxTableRows bounds the per-process rows --stats prints.
const maxTableRows = 20

func pct(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
