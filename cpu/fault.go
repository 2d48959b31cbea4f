package cpu

import "fmt"

// FaultKind is the class of a fault; the kernel maps it to an exit status.
type FaultKind uint8

const (
	NoFault      FaultKind = iota
	SegFault               // an access outside every segment, past a limit, or against permissions
	ArithFault             // division or remainder by zero
	IllegalFault           // an undecodable or misaligned instruction
)

func (k FaultKind) String() string {
	switch k {
	case SegFault:
		return "segmentation fault"
	case ArithFault:
		return "arithmetic fault"
	case IllegalFault:
		return "illegal instruction"
	}
	return "no fault"
}

// Access is what a memory reference tried to do.
type Access uint8

const (
	Read Access = iota
	Write
	Exec
)

func (a Access) String() string {
	switch a {
	case Read:
		return "read"
	case Write:
		return "write"
	}
	return "execute"
}

// Fault is a trap the CPU raised instead of completing an instruction. It is
// a value, not a Go panic: the kernel turns it into a kill message.
type Fault struct {
	Kind   FaultKind
	Access Access // for SegFault
	Addr   uint32 // the address the instruction touched, or its pc
	PC     uint32 // the instruction that faulted; it did not complete
	Reason string // what was attempted, e.g. "write to code segment"
}

func (f *Fault) Error() string {
	if f.Reason == "" {
		return f.Kind.String()
	}
	return fmt.Sprintf("%s (%s)", f.Kind, f.Reason)
}
