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

// buttonLabel is a button's text.
func buttonLabel(k Key, in *Input) string { return k.Keys + " " + does(k, in) }

// helpWidth is the width of the buttons in one row.
func helpWidth(m Metrics, g Geometry) int {
	w := g.Gap
	for _, k := range Keys {
		w += m.Width(k.Keys+" "+k.Does) + 2*max(3, g.LineH/4) + g.Gap
	}
	return w
}

// help fills the bottom line with one button per key, in one row or,
// when the window is narrow for the text, two.
func help(f *Frame, in *Input) {
	p := &f.Help
	r := p.Rect
	lh := in.Metrics.LineHeight()
	pad := max(3, lh/4)
	rows := f.Geo.HelpRows
	rowH := (r.Dy() - f.Geo.Pad) / rows
	perRow := (len(Keys) + rows - 1) / rows
	for row := 0; row < rows; row++ {
		keys := Keys[row*perRow : min(len(Keys), (row+1)*perRow)]
		widths := make([]int, len(keys))
		total := 0
		for i, k := range keys {
			widths[i] = in.Metrics.Width(buttonLabel(k, in)) + 2*pad
			total += widths[i] + f.Geo.Gap
		}
		// Too wide: the actions are shortened, the keys kept.
		avail := r.Dx() - f.Geo.Gap
		for i, k := range keys {
			if total <= avail {
				break
			}
			least := in.Metrics.Width(k.Keys+" "+Ellipsis) + 2*pad
			cut := min(widths[i]-least, total-avail)
			widths[i] -= max(cut, 0)
			total -= max(cut, 0)
		}
		x := r.Min.X + f.Geo.Gap
		y0 := r.Min.Y + f.Geo.Pad/2 + row*rowH
		for i, k := range keys {
			b := Button{R: image.Rect(x, y0, min(x+widths[i], r.Max.X), y0+rowH-2), Key: k.Keys, Label: buttonLabel(k, in), On: on(k, in)}
			fill := ButtonFill
			if b.On {
				fill = ButtonOn
			}
			p.box(b.R, fill)
			ty := b.R.Min.Y + (b.R.Dy()-lh)/2
			tx := p.textW(b.R.Min.X+pad, ty, b.R.Dx()-2*pad, k.Keys, Accent)
			sp := in.Metrics.Width(" ")
			p.textW(tx+sp, ty, b.R.Max.X-pad-tx-sp, does(k, in), Text)
			p.hit(Hit{R: b.R, Key: k.Keys, Tip: []string{"key " + k.Keys + ": " + does(k, in)}})
			f.Buttons = append(f.Buttons, b)
			x += widths[i] + f.Geo.Gap
		}
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
