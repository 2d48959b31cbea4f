package model

import (
	"bytes"
	"io"
	"strings"

	root "vcpu"
	"vcpu/image"
	"vcpu/kernel"
)

// Speeds are the instructions a frame the + and - keys step through.
var Speeds = []uint64{1, 10, 100, 1000, 10000}

// DefaultSpeed is the index in Speeds a session starts at: 10 instructions
// a frame runs the demo in about five seconds, slow enough to follow the
// fork and the threads.
const DefaultSpeed = 1

// EventLogSize bounds the events kept between two frames.
const EventLogSize = 1 << 16

// Session is one run in the window: the machine, its event log, and the
// controls the keys drive. The window calls the control methods for the
// keys pressed, then Tick once a frame; nothing else touches the machine.
type Session struct {
	Title string

	cfg    kernel.Config
	progs  []*image.Program
	echo   io.Writer
	k      *kernel.Kernel
	log    *kernel.EventLog
	model  *Model
	out    *tail
	speed  int
	paused bool
	steps  uint64 // single steps asked for while paused
	frame  *Frame
}

// NewSession boots a machine with progs, each its own process, as `vcpu
// run` does. Guest output goes to echo as well as to the window.
func NewSession(cfg kernel.Config, progs []*image.Program, title string, echo io.Writer) (*Session, error) {
	if echo == nil {
		echo = io.Discard
	}
	s := &Session{Title: title, cfg: cfg, progs: progs, echo: echo, speed: DefaultSpeed}
	return s, s.Restart()
}

// Restart boots the machine again from the start, keeping speed and pause.
func (s *Session) Restart() error {
	s.out = &tail{echo: s.echo, max: 8}
	k, err := kernel.New(s.cfg, kernel.Options{Stdout: s.out, Stderr: s.out, Load: root.Load})
	if err != nil {
		return err
	}
	s.log = kernel.NewEventLog(EventLogSize)
	k.Listen(s.log.Add)
	for _, p := range s.progs {
		if _, err := k.Start(p, 0); err != nil {
			return err
		}
	}
	s.k, s.model, s.steps, s.frame = k, New(), 0, nil
	return nil
}

// TogglePause pauses or resumes the run.
func (s *Session) TogglePause() { s.paused = !s.paused }

// Paused says whether the run is paused.
func (s *Session) Paused() bool { return s.paused }

// Step asks for one instruction at the next Tick; it pauses a running run.
func (s *Session) Step() {
	if !s.paused {
		s.paused = true
		return
	}
	s.steps++
}

// Faster and Slower move along Speeds.
func (s *Session) Faster() { s.speed = min(s.speed+1, len(Speeds)-1) }
func (s *Session) Slower() { s.speed = max(s.speed-1, 0) }

// Speed is the instructions a frame.
func (s *Session) Speed() uint64 { return Speeds[s.speed] }

// Done says whether the run has ended.
func (s *Session) Done() bool { return s.k.Done() }

// ExitStatus is the run's status, as `vcpu run` would exit with.
func (s *Session) ExitStatus() int { return s.k.ExitStatus() }

// Tick runs the machine for one frame's budget (or the steps asked for
// while paused), drains the events, takes a snapshot and builds the frame.
func (s *Session) Tick() *Frame {
	budget := s.Speed()
	if s.paused {
		budget, s.steps = s.steps, 0
	}
	if budget > 0 && !s.k.Done() {
		s.k.Advance(budget)
	}
	events := s.log.Drain()
	s.frame = s.model.Build(Input{
		Snap: s.k.Snapshot(), Events: events,
		Title: s.Title, Speed: s.Speed(), Paused: s.paused,
		Dropped: s.log.Dropped, Output: s.out.Lines(),
	})
	return s.frame
}

// Frame is the last frame Tick built (nil before the first).
func (s *Session) Frame() *Frame { return s.frame }

// tail keeps the last lines the guests wrote, and passes everything on.
type tail struct {
	echo    io.Writer
	max     int
	lines   []string
	partial bytes.Buffer
}

func (t *tail) Write(b []byte) (int, error) {
	t.echo.Write(b)
	t.partial.Write(b)
	for {
		i := bytes.IndexByte(t.partial.Bytes(), '\n')
		if i < 0 {
			break
		}
		line := strings.TrimRight(string(t.partial.Next(i+1)), "\r\n")
		t.lines = append(t.lines, line)
		if len(t.lines) > t.max {
			t.lines = t.lines[1:]
		}
	}
	return len(b), nil
}

// Lines are the last complete lines, and the line being written, if any.
func (t *tail) Lines() []string {
	out := append([]string(nil), t.lines...)
	if t.partial.Len() > 0 {
		out = append(out, t.partial.String())
	}
	return out
}
