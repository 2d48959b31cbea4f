package model_test

import (
	"fmt"
	"image"
	"strings"
	"testing"

	root "vcpu"
	"vcpu/asm"
	vimage "vcpu/image"
	"vcpu/kernel"
	"vcpu/window/model"
)

// goMono is the window's own font at its 1280x800 size: layout tests
// measure with the real advance widths.
func goMono(t testing.TB, size float64) model.Metrics {
	t.Helper()
	f, err := model.GoMono(size)
	if err != nil {
		t.Fatal(err)
	}
	return model.NewFaceMetrics(f)
}

// newSession starts each source as its own process; a source's name is
// its file name.
func newSession(t testing.TB, cfg kernel.Config, srcs ...[2]string) *model.Session {
	t.Helper()
	var progs []*vimage.Program
	for _, s := range srcs {
		p, err := asm.Assemble(s[0], []byte(s[1]), asm.Options{})
		if err != nil {
			t.Fatalf("%s does not assemble:\n%v", s[0], err)
		}
		progs = append(progs, p)
	}
	s, err := model.NewSession(cfg, progs, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// demo is a session on the built-in demo, with its source for the listing.
func demo(t testing.TB, cfg kernel.Config) *model.Session {
	t.Helper()
	p, err := root.DemoProgram()
	if err != nil {
		t.Fatal(err)
	}
	s, err := model.NewSession(cfg, []*vimage.Program{p}, "demo", nil)
	if err != nil {
		t.Fatal(err)
	}
	s.SetSources(func(file string) []string {
		b, err := root.Programs.ReadFile(file)
		if err != nil {
			return nil
		}
		return strings.Split(string(b), "\n")
	})
	return s
}

// snap is a small idle machine's snapshot: 16 free frames, 4 empty TLB slots.
func snap(clock uint64) *kernel.Snapshot {
	s := &kernel.Snapshot{Clock: clock, Steps: clock, Frames: make([]kernel.FrameOwner, 16)}
	for range 4 {
		s.TLB = append(s.TLB, kernel.TLBEntryView{LRURank: -1})
	}
	return s
}

func hasText(p *model.Panel, s string) bool {
	if strings.Contains(p.Title, s) {
		return true
	}
	for _, l := range p.Texts {
		if strings.Contains(l.S, s) || strings.Contains(l.Full, s) {
			return true
		}
	}
	return false
}

// allTexts is one panel's title and texts, for messages.
func allTexts(p *model.Panel) string {
	var b strings.Builder
	b.WriteString(p.Title)
	for _, l := range p.Texts {
		b.WriteString(" | " + l.S)
	}
	return b.String()
}

func allText(f *model.Frame) string {
	var b strings.Builder
	for _, p := range f.Panels() {
		b.WriteString(p.Title + "\n")
		for _, l := range p.Texts {
			b.WriteString(l.S + "\n")
		}
	}
	return b.String()
}

// checkLayout reports every way f breaks the layout's promises: panels
// off the screen or overlapping, text or boxes spilling out of their
// panel, text over text, text shortened without the whole of it kept.
func checkLayout(f *model.Frame, m model.Metrics) []string {
	var bad []string
	screen := image.Rectangle{Max: f.Geo.Size}
	ps := f.Named()
	for i, np := range ps {
		p := np.Panel
		if np.Name == "tooltip" {
			continue
		}
		if !p.Rect.In(screen) {
			bad = append(bad, fmt.Sprintf("panel %s %v is off the %v screen", np.Name, p.Rect, screen))
		}
		for _, q := range ps[i+1:] {
			if q.Name != "tooltip" && p.Rect.Overlaps(q.Panel.Rect) {
				bad = append(bad, fmt.Sprintf("panels %s %v and %s %v overlap", np.Name, p.Rect, q.Name, q.Panel.Rect))
			}
		}
		if p.Title != "" && m.Width(p.Title) > p.Rect.Dx() {
			bad = append(bad, fmt.Sprintf("panel %s: title %q is wider than the panel", np.Name, p.Title))
		}
		if strings.Contains(p.Title, model.Ellipsis) && p.TitleFull == "" {
			bad = append(bad, fmt.Sprintf("panel %s: title %q is shortened and its whole text is lost", np.Name, p.Title))
		}
		var rects []image.Rectangle
		for _, l := range p.Texts {
			r := l.Rect(m)
			if !r.In(p.Rect) {
				bad = append(bad, fmt.Sprintf("%s: text %q at %v spills out of the panel %v", np.Name, l.S, r, p.Rect))
			}
			if strings.HasSuffix(l.S, model.Ellipsis) && l.Full == "" {
				bad = append(bad, fmt.Sprintf("%s: %q is shortened and its whole text is lost", np.Name, l.S))
			}
			// Glyphs overlap when boxes share more than a pixel of edge.
			in := r.Inset(1)
			for _, o := range rects {
				if in.Overlaps(o) {
					bad = append(bad, fmt.Sprintf("%s: text %q at %v overlaps other text at %v", np.Name, l.S, r, o))
				}
			}
			rects = append(rects, r)
		}
		for _, b := range p.Boxes {
			if !b.R.In(p.Rect) {
				bad = append(bad, fmt.Sprintf("%s: box %v spills out of the panel %v", np.Name, b.R, p.Rect))
			}
		}
	}
	return bad
}

// tick runs n frames and returns the last.
func tick(s *model.Session, n int) *model.Frame {
	var f *model.Frame
	for i := 0; i < n; i++ {
		f = s.Tick(0)
	}
	return f
}
