package model

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Metrics measures text the way the window will draw it. Every position
// in a Frame is computed from it, so a layout that fits with the metrics
// fits on screen.
type Metrics interface {
	Width(s string) int // advance width of s in pixels
	LineHeight() int    // distance from one line's top to the next
}

// Mono is a deterministic Metrics: every rune CharW pixels wide.
type Mono struct{ CharW, LineH int }

func (m Mono) Width(s string) int { return m.CharW * utf8.RuneCountInString(s) }
func (m Mono) LineHeight() int    { return m.LineH }

// Ellipsis ends a string shortened to fit; the whole string is then
// available on hover.
const Ellipsis = "…"

// Fit shortens s with an ellipsis to at most w pixels. It reports
// whether s was shortened.
func Fit(m Metrics, s string, w int) (string, bool) {
	if m.Width(s) <= w {
		return s, false
	}
	if m.Width(Ellipsis) > w {
		return "", s != ""
	}
	// The longest prefix (in runes) that fits with the ellipsis.
	idx := make([]int, 0, len(s)+1)
	for i := range s {
		idx = append(idx, i)
	}
	lo, hi := 0, len(idx)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if m.Width(s[:idx[mid]]+Ellipsis) <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return s[:idx[lo]] + Ellipsis, true
}

// FitName fits prefix+name+suffix in w pixels, shortening the name first:
// a program's name can be as long as a file name can, and the pid before
// it and the state after it are what the line is for. The name keeps at
// least a few letters; what still does not fit is cut from the end. cut
// says whether anything was left out.
func FitName(m Metrics, prefix, name, suffix string, w int) (s string, cut bool) {
	whole := prefix + name + suffix
	if m.Width(whole) <= w {
		return whole, false
	}
	room := max(w-m.Width(prefix)-m.Width(suffix), m.Width("abcd"+Ellipsis))
	n, _ := Fit(m, name, room)
	s, _ = Fit(m, prefix+n+suffix, w)
	return s, true
}

// FaceMetrics measures with an x/image font face: the window draws with
// the very same face, so the model's widths are the drawn widths.
type FaceMetrics struct {
	face  font.Face
	lh    int
	ascii [128]fixed.Int26_6
	kerns bool // the face kerns some pair of ASCII letters (Go Mono does not)
	mu    sync.Mutex
	wide  map[rune]fixed.Int26_6
}

// NewFaceMetrics measures with face; lines are its height apart, plus a
// little leading.
func NewFaceMetrics(face font.Face) *FaceMetrics {
	m := face.Metrics()
	f := &FaceMetrics{face: face, lh: (m.Height + m.Height/6).Ceil(), wide: map[rune]fixed.Int26_6{}}
	for r := rune(0); r < 128; r++ {
		a, _ := face.GlyphAdvance(r)
		f.ascii[r] = a
	}
	for _, p := range []string{"AV", "To", "LT", "Wa", "Yo", "r.", "ff"} {
		f.kerns = f.kerns || face.Kern(rune(p[0]), rune(p[1])) != 0
	}
	return f
}

func (f *FaceMetrics) advance(r rune) fixed.Int26_6 {
	if r >= 0 && r < 128 {
		return f.ascii[r]
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.wide[r]
	if !ok {
		a, _ = f.face.GlyphAdvance(r)
		if len(f.wide) < 4096 {
			f.wide[r] = a
		}
	}
	return a
}

// Width is font.MeasureString's width (advances and kerning), rounded up.
func (f *FaceMetrics) Width(s string) int {
	var w fixed.Int26_6
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 && f.kerns {
			w += f.face.Kern(prev, r)
		}
		w += f.advance(r)
		prev = r
	}
	return w.Ceil()
}

func (f *FaceMetrics) LineHeight() int { return f.lh }

var goMono struct {
	once sync.Once
	font *opentype.Font
	err  error
}

// GoMono is the Go Mono TrueType font at size pixels: the window's face
// (a monospace font, so that registers, tables and listings line up).
func GoMono(size float64) (font.Face, error) {
	goMono.once.Do(func() { goMono.font, goMono.err = opentype.Parse(gomono.TTF) })
	if goMono.err != nil {
		return nil, goMono.err
	}
	return opentype.NewFace(goMono.font, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
}
