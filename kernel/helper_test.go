package kernel_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"vcpu/asm"
	"vcpu/image"
	"vcpu/kernel"
)

// assemble assembles src as the program name, or fails tb.
func assemble(tb testing.TB, name, src string) *image.Program {
	tb.Helper()
	prog, err := asm.Assemble(name, []byte(src), asm.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return prog
}

// forkBomb is a machine whose processes fork forever, run until its memory
// is full: from then on every fork fails for want of frames.
func forkBomb(tb testing.TB) *kernel.Kernel {
	tb.Helper()
	k, _ := kernel.New(kernel.DefaultConfig(), kernel.Options{})
	k.Start(assemble(tb, "bomb.s", "main: mov r0, SYS_FORK\nsyscall\njmp main\n"), 0)
	k.Advance(1_000_000) // the bomb fills memory long before this
	return k
}

// machine is a kernel under test with its output and a log of who ran when.
type machine struct {
	*kernel.Kernel
	out, err bytes.Buffer
	slices   []string // "tid@start-end" for every time a thread held the CPU
	switches []string // "T" thread switch, "P" process switch, "F" TLB flush, in order
	open     map[int]uint64
}

// boot assembles each source (name -> text) and starts them as pid 1, 2, ...
func boot(t *testing.T, cfg kernel.Config, srcs ...string) *machine {
	t.Helper()
	m := &machine{open: map[int]uint64{}}
	k, err := kernel.New(cfg, kernel.Options{Stdout: &m.out, Stderr: &m.err})
	if err != nil {
		t.Fatal(err)
	}
	m.Kernel = k
	k.Listen(m.record)
	for i, src := range srcs {
		p, err := asm.Assemble(fmt.Sprintf("p%d.s", i+1), []byte(src), asm.Options{})
		if err != nil {
			t.Fatalf("program %d does not assemble:\n%v", i+1, err)
		}
		if _, err := k.Start(p, 0); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func (m *machine) record(e *kernel.Event) {
	switch e.Kind {
	case kernel.EvDispatch:
		m.open[e.TID] = e.Clock
	case kernel.EvDeschedule:
		m.slices = append(m.slices, fmt.Sprintf("%d@%d-%d", e.TID, m.open[e.TID], e.Clock))
		delete(m.open, e.TID)
	case kernel.EvSwitch:
		if e.FromTID == 0 {
			return
		}
		if e.Process {
			m.switches = append(m.switches, "P")
		} else {
			m.switches = append(m.switches, "T")
		}
	case kernel.EvFlush:
		m.switches = append(m.switches, "F")
	}
}

// schedule is the slices so far, with the running thread's open slice
// closed at the current clock.
func (m *machine) schedule() string {
	s := append([]string(nil), m.slices...)
	for tid, start := range m.open {
		s = append(s, fmt.Sprintf("%d@%d-%d", tid, start, m.Clock()))
	}
	return strings.Join(s, " ")
}

func cfgWith(f func(*kernel.Config)) kernel.Config {
	c := kernel.DefaultConfig()
	f(&c)
	return c
}
