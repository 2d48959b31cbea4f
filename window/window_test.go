//go:build gui

// These tests need a display (run them under xvfb-run -a with -tags gui):
// Ebiten cannot even start without one. They draw real frames with the
// real painter and font, read the pixels back and check them. With
// -shots DIR they also write the screenshots (docs/ holds them).
package window

import (
	"flag"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	root "vcpu"
	"vcpu/asm"
	vimage "vcpu/image"
	"vcpu/kernel"
	"vcpu/window/model"
)

var shots = flag.String("shots", "", "write the screenshots the tests take to `DIR`")

// runner runs the tests inside Ebiten's game loop, where images can be
// drawn and read back.
type runner struct {
	m    *testing.M
	code int
}

func (r *runner) Update() error            { r.code = r.m.Run(); return ebiten.Termination }
func (*runner) Draw(*ebiten.Image)         {}
func (*runner) Layout(int, int) (int, int) { return 320, 240 }

func TestMain(m *testing.M) {
	r := &runner{m: m, code: 1}
	if err := ebiten.RunGameWithOptions(r, &ebiten.RunGameOptions{InitUnfocused: true}); err != nil {
		panic(err)
	}
	os.Exit(r.code)
}

// view is a session drawn at one size and zoom.
type view struct {
	s     *model.Session
	fc    *face
	size  image.Point
	paint *painter
	img   *ebiten.Image
}

func newView(t *testing.T, size image.Point, zoom float64, progs []*vimage.Program, sources bool) *view {
	t.Helper()
	s, err := model.NewSession(kernel.DefaultConfig(), progs, progs[0].Name+".s", nil)
	if err != nil {
		t.Fatal(err)
	}
	if sources {
		s.SetSources(func(file string) []string {
			b, err := root.Programs.ReadFile(file)
			if err != nil {
				b, err = fs.ReadFile(root.Library, filepath.Base(file))
			}
			if err != nil {
				return nil
			}
			return strings.Split(string(b), "\n")
		})
	}
	fc, err := faceOf(model.FontSize(size, 1, zoom))
	if err != nil {
		t.Fatal(err)
	}
	s.SetView(size, fc.metrics)
	v := &view{s: s, fc: fc, size: size, paint: newPainter(), img: ebiten.NewImage(size.X, size.Y)}
	t.Cleanup(v.img.Deallocate)
	return v
}

func demoProgs(t *testing.T) []*vimage.Program {
	p, err := root.DemoProgram()
	if err != nil {
		t.Fatal(err)
	}
	return []*vimage.Program{p}
}

func programFile(t *testing.T, name string) []*vimage.Program {
	src, err := root.Programs.ReadFile("programs/" + name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := asm.Assemble("programs/"+name, src, asm.Options{ReadFile: root.Programs.ReadFile, Library: root.Library})
	if err != nil {
		t.Fatal(err)
	}
	return []*vimage.Program{p}
}

// tick builds a frame and paints it (as the window does, onto what the
// last frame left), and returns the frame and the pixels.
func (v *view) tick() (*model.Frame, *image.RGBA) {
	f := v.s.Tick(0)
	v.paint.take(f)
	v.paint.Draw(v.img, f, v.fc)
	px := image.NewRGBA(image.Rectangle{Max: v.size})
	v.img.ReadPixels(px.Pix)
	return f, px
}

// until ticks until done says so (at most n frames).
func (v *view) until(t *testing.T, n int, done func(*model.Frame) bool) (*model.Frame, *image.RGBA) {
	t.Helper()
	for i := 0; i < n; i++ {
		f, px := v.tick()
		if done(f) {
			return f, px
		}
	}
	t.Fatalf("not seen in %d frames", n)
	return nil, nil
}

func save(t *testing.T, name string, img *image.RGBA) {
	if *shots == "" {
		return
	}
	f, err := os.Create(filepath.Join(*shots, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

func near(a, b color.RGBA, d int) bool {
	abs := func(x int) int { return max(x, -x) }
	return abs(int(a.R)-int(b.R)) <= d && abs(int(a.G)-int(b.G)) <= d && abs(int(a.B)-int(b.B)) <= d
}

// count counts the pixels of r near c.
func count(img *image.RGBA, r image.Rectangle, c color.RGBA) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if near(img.RGBAAt(x, y), c, 3) {
				n++
			}
		}
	}
	return n
}

func TestDrawPassesItsOwnCheck(t *testing.T) {
	v := newView(t, image.Pt(1280, 800), 1, demoProgs(t), true)
	var f *model.Frame
	var px *image.RGBA
	for range 60 {
		f, px = v.tick()
	}
	for _, p := range Check(px, f) {
		t.Error(p)
	}
	// Wipe the memory map: Check must notice.
	m := f.MemoryMap.Rect
	for y := m.Min.Y; y < m.Max.Y; y++ {
		for x := m.Min.X; x < m.Max.X; x++ {
			px.SetRGBA(x, y, model.FreeFrame)
		}
	}
	if len(Check(px, f)) == 0 {
		t.Error("Check passed a screenshot whose memory map was wiped")
	}
}

// The painter repaints only what changed; what it leaves on screen must be
// what a full repaint of the same frame draws, frame after frame.
func TestRepaintingChangesOnlyIsExact(t *testing.T) {
	v := newView(t, image.Pt(1280, 800), 1, demoProgs(t), true)
	full := ebiten.NewImage(1280, 800)
	defer full.Deallocate()
	want := image.NewRGBA(image.Rect(0, 0, 1280, 800))
	for i := 0; i < 320; i++ {
		if i == 100 { // a tooltip comes and goes
			v.s.Mouse(image.Pt(700, 200), true)
		}
		if i == 140 {
			v.s.Mouse(image.Point{}, false)
		}
		f, got := v.tick()
		if i%20 != 0 && i != 101 && i != 141 {
			continue
		}
		fresh := newPainter()
		fresh.take(f)
		fresh.tlFull = true
		fresh.Draw(full, f, v.fc)
		full.ReadPixels(want.Pix)
		diff := 0
		var where image.Rectangle
		for j := range got.Pix {
			if got.Pix[j] != want.Pix[j] {
				diff++
				pt := image.Pt(j/4%1280, j/4/1280)
				where = where.Union(image.Rectangle{Min: pt, Max: pt.Add(image.Pt(1, 1))})
			}
		}
		if diff > 0 {
			save(t, "diff-got.png", got)
			save(t, "diff-want.png", want)
			t.Fatalf("frame %d: %d bytes differ between the repainted screen and a full paint, in %v", i, diff, where)
		}
	}
}

// The screenshots of docs/WINDOW.md, each checked at known pixels.
func TestScreenshots(t *testing.T) {
	t.Run("the first process switch names its flush", func(t *testing.T) {
		v := newView(t, image.Pt(1280, 800), 1, demoProgs(t), true)
		f, px := v.until(t, 20, func(f *model.Frame) bool { return f.Banner != nil })
		if !strings.HasPrefix(f.Banner.Text, "pid 1 → pid 2: TLB flushed") {
			t.Errorf("banner %q", f.Banner.Text)
		}
		r := f.TLB.Rect
		if c := px.RGBAAt(r.Min.X+1, r.Min.Y+r.Dy()/2); c != model.FlushRed {
			t.Errorf("TLB border %v, want red", c)
		}
		red := 0
		for y := f.TLB.Inner().Min.Y; y < f.TLB.Inner().Min.Y+8; y++ {
			for x := r.Min.X + 4; x < r.Max.X-4; x++ {
				if c := px.RGBAAt(x, y); c.R > 150 && c.G < 90 && c.B < 90 {
					red++
				}
			}
		}
		if red < 8*(r.Dx()-8)/2 {
			t.Errorf("%d red banner pixels", red)
		}
		if n := count(px, f.TimelineImage.Rect, model.FlushRed); n == 0 {
			t.Error("no flush mark on the timeline")
		}
		save(t, "window.png", px)
	})
	t.Run("two processes side by side", func(t *testing.T) {
		v := newView(t, image.Pt(1280, 800), 1, demoProgs(t), true)
		f, px := v.until(t, 60, func(f *model.Frame) bool { return len(f.Columns) == 2 && f.Clock() > 200 })
		for _, c := range f.Columns {
			for _, r := range c.Regions {
				if r.Gap || r.Seg.Kind.String() != "code" {
					continue
				}
				p := image.Pt(r.R.Max.X-4, (r.R.Min.Y+r.R.Max.Y)/2)
				if got := px.RGBAAt(p.X, p.Y); !near(got, model.FrameColor(c.PID, r.Seg.Kind), 3) {
					t.Errorf("pid %d's code at %v is %v", c.PID, p, got)
				}
			}
		}
		save(t, "window-processes.png", px)
	})
	t.Run("threads share one address space", func(t *testing.T) {
		v := newView(t, image.Pt(1280, 800), 1, demoProgs(t), true)
		f, px := v.until(t, 800, func(f *model.Frame) bool {
			return len(f.Columns) > 0 && len(f.Columns[0].SPs) == 3 && f.Snap.Summary.ThreadSwitches >= 6
		})
		c := f.Columns[0]
		stacks := 0
		for _, r := range c.Regions {
			if !r.Gap && r.Seg.Kind.String() == "stack" {
				stacks++
				if n := count(px, r.R, model.FrameColor(1, r.Seg.Kind)); n < r.R.Dx() {
					t.Errorf("stack of tid %d: %d pixels of pid 1's stack colour", r.Seg.Owner, n)
				}
			}
		}
		lit := 0
		for _, sp := range c.SPs {
			for _, col := range []color.RGBA{model.Text, model.HitGreen} {
				lit += count(px, image.Rect(c.Bar.Min.X, sp.Y-1, c.Bar.Max.X, sp.Y+1), col)
			}
		}
		if stacks != 3 || lit < 3*c.Bar.Dx() {
			t.Errorf("%d stacks in pid 1's column, %d sp-mark pixels", stacks, lit)
		}
		save(t, "window-threads.png", px)
	})
	t.Run("a crash at the end of a run", func(t *testing.T) {
		v := newView(t, image.Pt(1280, 800), 1, programFile(t, "crash.s"), true)
		f, px := v.until(t, 2000, func(f *model.Frame) bool { return f.Ended != "" })
		if !strings.Contains(f.Ended, "killed: arithmetic fault (division by zero) in tid 3") {
			t.Errorf("header %q", f.Ended)
		}
		if n := count(px, f.TimelineImage.Rect, model.FaultMark); n == 0 {
			t.Error("no fault mark on the timeline")
		}
		if n := count(px, f.Header.Rect, model.FlushRed); n < 20 {
			t.Errorf("%d red pixels of the ENDED state in the header", n)
		}
		save(t, "window-crash.png", px)
	})
	for _, tt := range []struct {
		size image.Point
		zoom float64
		name string
	}{
		{image.Pt(1024, 700), 1, "window-1024x700.png"},
		{image.Pt(1280, 800), 1, ""},
		{image.Pt(2560, 1440), 1, "window-2560x1440.png"},
		{image.Pt(1280, 800), 0.8, "window-zoom-80.png"},
		{image.Pt(1280, 800), 1.3, "window-zoom-130.png"},
	} {
		v := newView(t, tt.size, tt.zoom, demoProgs(t), true)
		var f *model.Frame
		var px *image.RGBA
		for range 150 {
			f, px = v.tick()
		}
		for _, p := range Check(px, f) {
			t.Errorf("%v zoom %v: %s", tt.size, tt.zoom, p)
		}
		if tt.name != "" {
			save(t, tt.name, px)
		}
	}
}
