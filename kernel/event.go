package kernel

// EventKind is the type of a kernel event.
type EventKind uint8

const (
	EvProcStart   EventKind = iota // a process was created (Text: its name; Arg: parent pid)
	EvProcExit                     // a process ended (Arg: status; Text: why)
	EvThreadStart                  // a thread was created
	EvThreadExit                   // a thread ended (Arg: its value)
	EvSwitch                       // the CPU moved to PID/TID from FromPID/FromTID (Process: a process switch)
	EvFlush                        // the TLB was flushed (Arg: valid entries thrown away)
	EvSyscall                      // a syscall completed or blocked (Text: name; Args; Arg: result)
	EvFault                        // a fault killed a process (Text: the kill message)
	EvBlock                        // a thread blocked (Text: on what)
	EvWake                         // a thread was woken (Arg: by which tid, 0 for the clock)
	EvPreempt                      // the timer took the CPU from a thread
	EvIO                           // bytes moved through a descriptor (Arg: count; Text: what)
	EvDispatch                     // a thread got the CPU (after EvSwitch, if it was a switch)
	EvDeschedule                   // a thread left the CPU
)

var eventNames = [...]string{"proc_start", "proc_exit", "thread_start", "thread_exit", "switch",
	"tlb_flush", "syscall", "fault", "block", "wake", "preempt", "io", "dispatch", "deschedule"}

func (e EventKind) String() string { return eventNames[e] }

// Event is one thing the kernel did, stamped with the clock. Events are the
// single source the trace, the statistics and the window read; the kernel
// builds them only when someone listens.
type Event struct {
	Kind    EventKind
	Clock   uint64 // ticks (see TIME)
	Steps   uint64 // instructions executed so far
	PID     int
	TID     int
	FromPID int // for EvSwitch: who had the CPU (0: nobody)
	FromTID int
	Process bool // for EvSwitch: the address space changed
	Blocked bool // for EvSyscall: the call blocked; its result comes with the wake-up
	Arg     uint64
	Args    [4]uint32
	Text    string
}

// Listener receives events as they happen. The event is only valid during
// the call (copy it to keep it), and the listener must not call back into
// the kernel.
type Listener func(*Event)

// Listen adds a listener. With none, emitting costs one length check.
func (k *Kernel) Listen(l Listener) { k.listeners = append(k.listeners, l) }

// emit stays small enough to inline, so that with no listener the event
// is never built on the heap: publish, where it escapes, is not reached.
func (k *Kernel) emit(e Event) {
	if k.listening() {
		k.publish(e)
	}
}

// listening says whether events are wanted; callers check it before
// formatting an event's text.
func (k *Kernel) listening() bool { return len(k.listeners) > 0 }

// publish hands listeners a pointer to one event the kernel reuses, so that
// listening allocates nothing either; a listener that keeps an event copies it.
func (k *Kernel) publish(e Event) {
	k.event = e
	k.event.Clock, k.event.Steps = k.clock, k.steps
	for _, l := range k.listeners {
		l(&k.event)
	}
}
