package model

import "fmt"

// Keys are the window's controls, in the order the help line lists them.
// The window binds exactly these; the help line is built from this list so
// the two cannot drift apart.
var Keys = []Key{
	{"space", "pause/resume"},
	{". or ->", "step one instruction (paused)"},
	{"+ / -", "speed"},
	{"r", "restart"},
	{"q or Esc", "quit"},
}

// Press applies one key, named as the help line names it ("space", ".",
// "->", "+", "-", "r", "q", "Esc"; "=" is + without shift). It reports
// whether the key asks to quit. Unknown keys do nothing.
func (s *Session) Press(key string) (quit bool, err error) {
	switch key {
	case "space", " ":
		s.TogglePause()
	case ".", "->":
		s.Step()
	case "+", "=":
		s.Faster()
	case "-":
		s.Slower()
	case "r", "R":
		err = s.Restart()
	case "q", "Q", "Esc":
		return true, nil
	}
	return false, err
}

// help fills the bottom line: the keys, and the speed they set.
func help(f *Frame, in Input) {
	p := &f.Help
	f.Keys = Keys
	x := 8
	for _, k := range Keys {
		p.text(x, p.Rect.Min.Y+3, k.Keys, Accent)
		x += CharW * (len(k.Keys) + 1)
		p.text(x, p.Rect.Min.Y+3, k.Does, Text)
		x += CharW * (len(k.Does) + 4)
	}
	speed := fmt.Sprintf("speed: %d instructions per frame", in.Speed)
	p.text(Width-8-CharW*len(speed), p.Rect.Min.Y+3, speed, Dim)
}
