package kernel

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"vcpu/abi"
)

// ChromeTrace writes the event stream as Chrome trace-event JSON, the format
// Perfetto (ui.perfetto.dev) and chrome://tracing open. One clock tick is
// shown as one microsecond. Each guest process is a trace process and each
// thread a track with a slice for every time it held the CPU; switches,
// TLB flushes, syscalls, faults, blocking and wake-ups are instant events
// on the track of the thread they concern. docs/TRACE.md has the details.
type ChromeTrace struct {
	w       *bufio.Writer
	n       int
	running *Event // the open slice's dispatch, if a thread holds the CPU
	k       *Kernel
	err     error
}

// traceEvent is one record of the trace-event format.
type traceEvent struct {
	Name  string         `json:"name"`
	Cat   string         `json:"cat,omitempty"`
	Ph    string         `json:"ph"`
	Ts    uint64         `json:"ts"`
	Pid   int            `json:"pid"`
	Tid   int            `json:"tid"`
	Scope string         `json:"s,omitempty"`
	Args  map[string]any `json:"args,omitempty"`
}

// NewChromeTrace starts a trace of k on w; call Close when the run ends.
func NewChromeTrace(k *Kernel, w io.Writer) *ChromeTrace {
	t := &ChromeTrace{w: bufio.NewWriter(w), k: k}
	t.w.WriteString(`{"otherData":{"clock":"1 us = 1 tick (one instruction)"},"traceEvents":[` + "\n")
	k.Listen(t.add)
	return t
}

func (t *ChromeTrace) put(e traceEvent) {
	if t.err != nil {
		return
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.err = err
		return
	}
	if t.n > 0 {
		t.w.WriteString(",\n")
	}
	t.n++
	_, t.err = t.w.Write(b)
}

func (t *ChromeTrace) add(e *Event) {
	inst := func(name, cat string, args map[string]any) {
		t.put(traceEvent{Name: name, Cat: cat, Ph: "i", Ts: e.Clock, Pid: e.PID, Tid: e.TID, Scope: "t", Args: args})
	}
	switch e.Kind {
	case EvProcStart:
		t.put(traceEvent{Name: "process_name", Ph: "M", Pid: e.PID, Tid: e.TID, Args: map[string]any{"name": fmt.Sprintf("pid %d (%s)", e.PID, e.Text)}})
		t.threadName(e)
		inst("process start", "process", map[string]any{"parent": e.Parent})
	case EvThreadStart:
		t.threadName(e)
		inst("thread start", "thread", map[string]any{"entry": fmt.Sprintf("0x%08x", e.Entry)})
	case EvDispatch:
		t.put(traceEvent{Name: "running", Cat: "cpu", Ph: "B", Ts: e.Clock, Pid: e.PID, Tid: e.TID})
		ev := *e
		t.running = &ev
	case EvDeschedule:
		t.endSlice(e.Clock)
	case EvSwitch:
		name := "thread switch"
		if e.Process {
			name = "process switch"
		}
		if e.FromPID == 0 {
			name = "first dispatch"
		}
		inst(name, "switch", map[string]any{"from_pid": e.FromPID, "from_tid": e.FromTID})
	case EvFlush:
		inst("TLB flush", "tlb", map[string]any{"entries_dropped": e.Dropped})
	case EvSyscall:
		args := map[string]any{"r1": e.Args[0], "r2": e.Args[1], "r3": e.Args[2], "r4": e.Args[3]}
		if e.Blocked {
			args["result"] = "blocked"
		} else {
			args["result"] = int32(e.Result)
			if errno, ok := abi.ErrnoOf(e.Result); ok {
				args["error"] = errno.String()
			}
		}
		inst("syscall "+e.Text, "syscall", args)
	case EvFault:
		inst("fault", "fault", map[string]any{"message": e.Text})
	case EvBlock:
		inst("block", "sched", map[string]any{"on": e.Text})
	case EvWake:
		inst("wake", "sched", map[string]any{"by_tid": e.By})
	case EvPreempt:
		inst("preempt", "sched", nil)
	case EvThreadExit:
		inst("thread exit", "thread", map[string]any{"value": e.Value})
	case EvProcExit:
		inst("process exit", "process", map[string]any{"status": e.Status, "why": e.Text})
	case EvIO:
		inst("io", "io", map[string]any{"bytes": e.Bytes, "object": e.Text})
	}
}

func (t *ChromeTrace) threadName(e *Event) {
	t.put(traceEvent{Name: "thread_name", Ph: "M", Pid: e.PID, Tid: e.TID, Args: map[string]any{"name": fmt.Sprintf("tid %d", e.TID)}})
}

func (t *ChromeTrace) endSlice(clock uint64) {
	if r := t.running; r != nil {
		t.put(traceEvent{Name: "running", Cat: "cpu", Ph: "E", Ts: clock, Pid: r.PID, Tid: r.TID})
		t.running = nil
	}
}

// Close ends the slice still open and finishes the JSON.
func (t *ChromeTrace) Close() error {
	t.endSlice(t.k.clock)
	if t.err == nil {
		_, t.err = t.w.WriteString("\n]}\n")
	}
	if t.err == nil {
		t.err = t.w.Flush()
	}
	return t.err
}
