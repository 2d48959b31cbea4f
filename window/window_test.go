//go:build gui

// These tests need a display (run them under xvfb-run -a with -tags gui):
// Ebiten cannot even start without one.
package window_test

import (
	"image"
	"image/color"
	"os"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	root "vcpu"
	vimage "vcpu/image"
	"vcpu/kernel"
	"vcpu/window"
	"vcpu/window/model"
)

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

func demoFrames(t *testing.T, ticks int) *model.Frame {
	t.Helper()
	p, err := root.DemoProgram()
	if err != nil {
		t.Fatal(err)
	}
	s, err := model.NewSession(kernel.DefaultConfig(), []*vimage.Program{p}, "demo", nil)
	if err != nil {
		t.Fatal(err)
	}
	var f *model.Frame
	for range ticks {
		f = s.Tick()
	}
	return f
}

func render(f *model.Frame) *image.RGBA {
	screen := ebiten.NewImage(model.Width, model.Height)
	defer screen.Deallocate()
	window.Draw(screen, f)
	img := image.NewRGBA(image.Rect(0, 0, model.Width, model.Height))
	screen.ReadPixels(img.Pix)
	return img
}

func TestDrawPassesItsOwnCheck(t *testing.T) {
	// 60 frames at 10 instructions: the forked child runs beside its parent.
	f := demoFrames(t, 60)
	img := render(f)
	for _, p := range window.Check(img, f) {
		t.Error(p)
	}
}

func TestCheckCatchesAWrongMap(t *testing.T) {
	f := demoFrames(t, 60)
	img := render(f)
	m := f.MemoryMap.Rect
	// Paint the memory map over with the free colour: the owners vanish.
	for y := m.Min.Y; y < m.Max.Y; y++ {
		for x := m.Min.X; x < m.Max.X; x++ {
			img.SetRGBA(x, y, model.FreeFrame)
		}
	}
	if len(window.Check(img, f)) == 0 {
		t.Error("Check passed a screenshot whose memory map was wiped")
	}
}

func TestFlushDrawsARedBorder(t *testing.T) {
	tests := []struct {
		name  string
		ticks int
		red   bool
	}{
		{"just after the fork's flush", 2, true},
		{"long after it", 62, false},
	}
	for _, tt := range tests {
		f := demoFrames(t, tt.ticks)
		img := render(f)
		r := f.TLB.Rect
		got := img.RGBAAt(r.Min.X+1, r.Min.Y+r.Dy()/2)
		if (got == model.FlushRed) != tt.red {
			t.Errorf("%s: TLB border %v, want red = %v (flash %d)", tt.name, got, tt.red, f.Flash)
		}
	}
}

func TestTextTakesItsColour(t *testing.T) {
	f := &model.Frame{}
	red := color.RGBA{250, 10, 10, 255}
	f.Help = model.Panel{Rect: image.Rect(0, 778, model.Width, model.Height), Texts: []model.Label{{X: 10, Y: 780, S: "MMMM", Color: red}}}
	img := render(f)
	reddish := 0
	for y := 780; y < 796; y++ {
		for x := 10; x < 10+4*model.CharW; x++ {
			if c := img.RGBAAt(x, y); c.R > 200 && c.G < 60 && c.B < 60 {
				reddish++
			}
		}
	}
	if reddish < 20 {
		t.Errorf("%d red pixels in red text, want at least 20", reddish)
	}
}
