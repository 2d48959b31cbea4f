package kernel

// EventKind is the type of a kernel event.
type EventKind uint8

const (
	EvProcStart   EventKind = iota // a process was created (Text: its name; Parent)
	EvProcExit                     // a process ended (Status; Text: why)
	EvThreadStart                  // a thread was created (Entry)
	EvThreadExit                   // a thread ended (Value)
	EvSwitch                       // the CPU moved to PID/TID from FromPID/FromTID (Process: a process switch)
	EvFlush                        // the TLB was flushed (Dropped)
	EvSyscall                      // a syscall completed or blocked (Text: name; Args; Result or Blocked)
	EvFault                        // a fault killed a process (Text: the kill line, which names the address)
	EvBlock                        // a thread blocked (Text: on what)
	EvWake                         // a thread was woken (By)
	EvPreempt                      // the timer took the CPU from a thread
	EvIO                           // bytes moved through a descriptor (Bytes; Text: what)
	EvDispatch                     // a thread got the CPU (after EvSwitch, if it was a switch)
	EvDeschedule                   // a thread left the CPU
)

var eventNames = [...]string{"proc_start", "proc_exit", "thread_start", "thread_exit", "switch",
	"tlb_flush", "syscall", "fault", "block", "wake", "preempt", "io", "dispatch", "deschedule"}

func (e EventKind) String() string { return eventNames[e] }

// Event is one thing the kernel did, stamped with the clock. Events are the
// single source the trace, the statistics and the window read; the kernel
// builds them only when someone listens. Each field means one thing; those
// after TID belong to the kinds named and are zero in every other.
type Event struct {
	Kind    EventKind
	Process bool   // EvSwitch: the address space changed
	Blocked bool   // EvSyscall: the call blocked; its result comes with the wake-up
	Clock   uint64 // ticks (see TIME)
	Steps   uint64 // instructions executed so far
	PID     int
	TID     int
	FromPID int       // EvSwitch: who had the CPU (0: nobody)
	FromTID int       // EvSwitch
	Parent  int       // EvProcStart: the parent's pid (0: none, a process vcpu started)
	Status  int       // EvProcExit: the exit status
	By      int       // EvWake: the tid whose call woke it (0: the clock)
	Dropped int       // EvFlush: the valid entries thrown away
	Entry   uint32    // EvThreadStart: the pc it starts at
	Value   uint32    // EvThreadExit: the value it ended with
	Result  uint32    // EvSyscall: r0 as the call left it (an errno negated: abi.ErrnoOf)
	Bytes   uint32    // EvIO: how many moved
	Args    [4]uint32 // EvSyscall: r1-r4
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
