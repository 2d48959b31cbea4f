//go:build gui

package window

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"vcpu/window/model"
)

// Options are how the window runs besides the machine's configuration.
type Options struct {
	Frames int    // >0: draw this many frames, write Out, and exit
	Out    string // the screenshot's PNG file ("" with Frames: none)
	Check  bool   // with Frames: fail if known pixels of the screenshot are wrong
}

// ErrCheck is what Run returns when -check found wrong pixels.
var ErrCheck = errors.New("pixel check failed")

// game is the Ebiten loop: Update reads the keys and ticks the session,
// Draw paints the last frame and nothing else.
type game struct {
	s     *model.Session
	opts  Options
	frame *model.Frame
	drawn int
	done  bool
	err   error
}

// Run opens the window on s and returns when the user quits, or after
// opts.Frames frames.
func Run(s *model.Session, opts Options) error {
	g := &game{s: s, opts: opts}
	ebiten.SetWindowSize(model.Width, model.Height)
	ebiten.SetWindowTitle("vcpu: " + s.Title)
	if opts.Frames > 0 {
		// One Update per drawn frame, so that a screenshot after N frames
		// shows the same machine state on any host.
		ebiten.SetTPS(ebiten.SyncWithFPS)
	}
	return ebiten.RunGameWithOptions(g, &ebiten.RunGameOptions{InitUnfocused: opts.Frames > 0, X11ClassName: "vcpu-gui"})
}

// specialKeys are the keys that type no character, by the names Press
// takes; the others (numpad + and - too) arrive as characters.
var specialKeys = []struct {
	key  ebiten.Key
	name string
}{
	{ebiten.KeyEscape, "Esc"}, {ebiten.KeyArrowRight, "->"},
}

func (g *game) Update() error {
	if g.err != nil {
		return g.err
	}
	if g.done {
		return ebiten.Termination
	}
	var keys []string
	for _, c := range ebiten.AppendInputChars(nil) {
		keys = append(keys, string(c))
	}
	for _, k := range specialKeys {
		if inpututil.IsKeyJustPressed(k.key) {
			keys = append(keys, k.name)
		}
	}
	for _, k := range keys {
		quit, err := g.s.Press(k)
		if err != nil {
			return err
		}
		if quit {
			return ebiten.Termination
		}
	}
	g.frame = g.s.Tick()
	return nil
}

func (g *game) Draw(screen *ebiten.Image) {
	if g.frame == nil {
		screen.Fill(model.Background)
		return
	}
	Draw(screen, g.frame)
	g.drawn++
	if g.opts.Frames > 0 && g.drawn == g.opts.Frames && !g.done {
		g.done = true
		img := image.NewRGBA(screen.Bounds())
		screen.ReadPixels(img.Pix)
		if g.opts.Out != "" {
			if err := writePNG(g.opts.Out, img); err != nil {
				g.err = err
				return
			}
		}
		if g.opts.Check {
			if problems := Check(img, g.frame); len(problems) > 0 {
				for _, p := range problems {
					fmt.Fprintln(os.Stderr, "vcpu-gui: check:", p)
				}
				g.err = ErrCheck
			}
		}
	}
}

func (g *game) Layout(int, int) (int, int) { return model.Width, model.Height }

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Check compares a screenshot with the frame it shows: the background,
// each memory cell's centre (at least two owners' colours must be on
// screen), the panels' borders, and some text in the header. It returns
// what is wrong.
func Check(img *image.RGBA, f *model.Frame) []string {
	var bad []string
	near := func(a, b color.RGBA) bool {
		d := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
		return d(a.R, b.R) <= 3 && d(a.G, b.G) <= 3 && d(a.B, b.B) <= 3
	}
	if c := img.RGBAAt(2, model.Height/2); !near(c, model.Background) {
		bad = append(bad, fmt.Sprintf("background at (2,%d) is %v, want %v", model.Height/2, c, model.Background))
	}
	for _, p := range f.Panels() {
		if p.Title == "" {
			continue
		}
		if c := img.RGBAAt(p.Rect.Min.X, p.Rect.Max.Y-1); !near(c, p.Edge) {
			bad = append(bad, fmt.Sprintf("panel %q border is %v, want %v", p.Title, c, p.Edge))
		}
	}
	m := f.MemoryMap
	colours, pids, want := map[color.RGBA]bool{}, map[int]bool{}, map[int]bool{}
	wrong := 0
	cell := max(f.MapCell, 1)
	for i, pid := range f.MapPIDs {
		x := m.Rect.Min.X + (i%f.MapCols)*cell + (cell-1)/2
		y := m.Rect.Min.Y + (i/f.MapCols)*cell + (cell-1)/2
		exp, got := m.RGBAAt(x, y), img.RGBAAt(x, y)
		if pid > 0 {
			want[pid] = true
		}
		if !near(got, exp) {
			wrong++
			continue
		}
		if pid > 0 {
			colours[exp], pids[pid] = true, true
		}
	}
	if wrong > 0 {
		bad = append(bad, fmt.Sprintf("%d memory cells differ from the model's colours", wrong))
	}
	if len(colours) < 2 {
		bad = append(bad, fmt.Sprintf("memory map shows %d owned colours, want at least 2", len(colours)))
	}
	if len(pids) < len(want) {
		bad = append(bad, fmt.Sprintf("memory map shows the colours of %d processes, the machine has %d owning frames", len(pids), len(want)))
	}
	lit := 0
	h := f.Header.Rect
	for y := h.Min.Y; y < h.Max.Y; y++ {
		for x := h.Min.X; x < h.Max.X; x++ {
			if c := img.RGBAAt(x, y); int(c.R)+int(c.G)+int(c.B) > 3*150 {
				lit++
			}
		}
	}
	if lit < 50 {
		bad = append(bad, fmt.Sprintf("header has %d text pixels, want at least 50", lit))
	}
	return bad
}
