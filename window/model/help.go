package model

import (
	"image"
	"strings"
)

// Key is one control: the key that does it, as the help line names it and
// Session.Press takes it, and what it does (the button's label).
type Key struct{ Keys, Does string }

// Keys are the window's controls, in the order the help line lists them
// as buttons. The window binds exactly these; the help line is built from
// this list so the two cannot drift apart.
var Keys = []Key{
	{"space", "pause"},
	{".", "step"},
	{"n", "next switch"},
	{"-", "slower"},
	{"+", "faster"},
	{"t", "top speed"},
	{"r", "restart"},
	{"Esc", "follow running"},
	{"Ctrl -", "smaller"},
	{"Ctrl +", "bigger"},
	{"Ctrl 0", "100%"},
	{"q", "quit"},
}

// Press applies one key, named as the help line names it ("space", ".",
// "n", "+", "-", "t", "r", "Esc", "Ctrl +", "Ctrl -", "Ctrl 0", "q"; also
// "->" for ".", "=" for "+" and "Ctrl =" for "Ctrl +"). It reports
// whether the key asks to quit. Unknown keys do nothing.
func (s *Session) Press(key string) (quit bool, err error) {
	switch strings.ReplaceAll(key, "Ctrl+", "Ctrl ") {
	case "space", " ":
		s.TogglePause()
	case ".", "->":
		s.Step()
	case "n", "N":
		s.StepToSwitch()
	case "+", "=":
		s.Faster()
	case "-":
		s.Slower()
	case "t", "T":
		s.SetTop(!s.AtTop())
	case "r", "R":
		err = s.Restart()
	case "Esc":
		s.Select(Selection{})
	case "Ctrl +", "Ctrl =":
		s.ZoomBy(1)
	case "Ctrl -":
		s.ZoomBy(-1)
	case "Ctrl 0":
		s.ZoomBy(0)
	case "q", "Q":
		return true, nil
	}
	return false, err
}

// help fills the bottom line with one button per key.
func help(f *Frame, in *Input) {
	p := &f.Help
	r := p.Rect
	lh := in.Metrics.LineHeight()
	pad := max(3, lh/4)
	x := r.Min.X + f.Geo.Gap
	y0, y1 := r.Min.Y+2, r.Max.Y-2
	// Each button: the key in accent, the action in text; when they do
	// not all fit, actions are shortened to make room.
	widths := make([]int, len(Keys))
	total := 0
	for i, k := range Keys {
		widths[i] = in.Metrics.Width(k.Keys+" "+does(k, in)) + 2*pad
		total += widths[i] + f.Geo.Gap
	}
	avail := r.Dx() - 2*f.Geo.Gap
	for i := range widths {
		if total > avail {
			cut := min(widths[i]-in.Metrics.Width(Keys[i].Keys+" …")-2*pad, (total-avail)/(len(Keys)-i)+1)
			widths[i] -= max(cut, 0)
			total -= max(cut, 0)
		}
	}
	for i, k := range Keys {
		b := Button{R: image.Rect(x, y0, x+widths[i], y1), Key: k.Keys, Label: k.Keys + " " + does(k, in), On: on(k, in)}
		fill := ButtonFill
		if b.On {
			fill = ButtonOn
		}
		p.box(b.R, fill)
		ty := b.R.Min.Y + (b.R.Dy()-lh)/2
		tx := p.text(b.R.Min.X+pad, ty, k.Keys, Accent)
		p.textW(tx+in.Metrics.Width(" "), ty, b.R.Max.X-pad-tx-in.Metrics.Width(" "), does(k, in), Text)
		p.hit(Hit{R: b.R, Key: k.Keys, Tip: []string{"key " + k.Keys + ": " + does(k, in)}})
		f.Buttons = append(f.Buttons, b)
		x += widths[i] + f.Geo.Gap
	}
}

// does is a button's label now: pause reads resume while paused.
func does(k Key, in *Input) string {
	if k.Keys == "space" && in.Paused {
		return "resume"
	}
	return k.Does
}

func on(k Key, in *Input) bool {
	switch k.Keys {
	case "space":
		return in.Paused
	case "t":
		return in.Top
	case "n":
		return in.Seeking
	case "Esc":
		return in.Selected == Selection{}
	}
	return false
}
