//go:build gui

// These tests drive the real window with real X events: they start
// vcpu-gui on the X display the tests run under (xvfb-run), press keys,
// click its buttons, hover, turn the wheel and resize it with xdotool,
// and check what it drew: F12 makes the window write its screen as a PNG
// with a JSON of its state beside it (-shot-dir), which says where the
// buttons and panels are. Run: xvfb-run -a go test -tags gui ./cmd/vcpu-gui/
package main

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vcpu/window/model"
)

// app is a running vcpu-gui and its window.
type app struct {
	t     *testing.T
	cmd   *exec.Cmd
	dir   string
	wid   string
	shots int
}

func xdo(t *testing.T, args ...string) string {
	t.Helper()
	t0 := time.Now()
	out, err := exec.Command("xdotool", args...).CombinedOutput()
	if d := time.Since(t0); d > time.Second {
		t.Logf("xdotool %v took %v", args, d)
	}
	if err != nil {
		t.Fatalf("xdotool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func start(t *testing.T, args ...string) *app {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		t.Skip("no X display: run under xvfb-run")
	}
	if _, err := exec.LookPath("xdotool"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xdotool is missing (.ci/run installs it)")
		}
		t.Skip("xdotool is not installed")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "vcpu-gui")
	if out, err := exec.Command("go", "build", "-tags", "gui", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	a := &app{t: t, dir: dir}
	a.cmd = exec.Command(bin, append([]string{"-shot-dir", dir}, args...)...)
	a.cmd.Stdout, a.cmd.Stderr = os.Stderr, os.Stderr
	if err := a.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if a.cmd.ProcessState == nil {
			a.cmd.Process.Kill()
			a.cmd.Wait()
		}
	})
	ids := strings.Fields(xdo(t, "search", "--sync", "--onlyvisible", "--class", "vcpu-gui"))
	a.wid = ids[len(ids)-1]
	a.mouse(640, 400) // no window manager: the keyboard goes where the pointer is
	return a
}

func (a *app) mouse(x, y int) {
	xdo(a.t, "mousemove", "--window", a.wid, fmt.Sprint(x), fmt.Sprint(y))
	time.Sleep(100 * time.Millisecond) // a frame or two to see it
}

// key presses each key for a tenth of a second: a press shorter than a
// frame could be missed by a window that polls its keys once a frame.
func (a *app) key(keys ...string) {
	for _, k := range keys {
		xdo(a.t, "keydown", k)
		time.Sleep(100 * time.Millisecond)
		xdo(a.t, "keyup", k)
		time.Sleep(50 * time.Millisecond)
	}
}

// click holds the button for a tenth of a second, as a hand does: the
// window reads the mouse once a frame.
func (a *app) click(x, y int) {
	a.mouse(x, y)
	xdo(a.t, "mousedown", "1")
	time.Sleep(100 * time.Millisecond)
	xdo(a.t, "mouseup", "1")
	time.Sleep(50 * time.Millisecond)
}

// shot presses F12 and waits for the screen and the state it wrote.
func (a *app) shot() (*image.RGBA, state) {
	a.t.Helper()
	time.Sleep(300 * time.Millisecond) // a few frames for what was done to show
	a.key("F12")
	name := filepath.Join(a.dir, fmt.Sprintf("shot-%d", a.shots))
	a.shots++
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, err := os.ReadFile(name + ".json")
		if err == nil && json.Valid(b) {
			var st state
			if err := json.Unmarshal(b, &st); err != nil {
				a.t.Fatal(err)
			}
			f, err := os.Open(name + ".png")
			if err != nil {
				a.t.Fatal(err)
			}
			img, err := png.Decode(f)
			f.Close()
			if err != nil {
				a.t.Fatal(err)
			}
			rgba := image.NewRGBA(img.Bounds())
			for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
				for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
					rgba.Set(x, y, img.At(x, y))
				}
			}
			return rgba, st
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("no %s.json 20 s after F12", name)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func button(t *testing.T, st state, key string) image.Rectangle {
	for _, b := range st.Buttons {
		if b.Key == key {
			return b.R
		}
	}
	t.Fatalf("no button %q in %+v", key, st.Buttons)
	return image.Rectangle{}
}

func centre(r image.Rectangle) (int, int) { return (r.Min.X + r.Max.X) / 2, (r.Min.Y + r.Max.Y) / 2 }

func countNear(img *image.RGBA, r image.Rectangle, c color.RGBA) int {
	n := 0
	abs := func(x int) int { return max(x, -x) }
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := img.RGBAAt(x, y)
			if abs(int(p.R)-int(c.R)) <= 3 && abs(int(p.G)-int(c.G)) <= 3 && abs(int(p.B)-int(c.B)) <= 3 {
				n++
			}
		}
	}
	return n
}

func sameRegion(a, b *image.RGBA, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.RGBAAt(x, y) != b.RGBAAt(x, y) {
				return false
			}
		}
	}
	return true
}

// forever runs two processes of two threads each, without end: there is
// always a switch to step to and a run to zoom into.
const forever = `
main:   mov  r0, SYS_FORK
        syscall
        mov  r0, SYS_THREAD_CREATE
        mov  r1, spin
        syscall
spin:   add  r5, 1
        jmp  spin
`

func TestRealInput(t *testing.T) {
	prog := filepath.Join(t.TempDir(), "forever.s")
	if err := os.WriteFile(prog, []byte(forever), 0o644); err != nil {
		t.Fatal(err)
	}
	a := start(t, prog)
	img, st := a.shot()
	if st.Size != image.Pt(1280, 800) || img.Rect.Size() != st.Size || st.Speed != 10 || st.Paused {
		t.Fatalf("at start: %+v, image %v", st, img.Rect)
	}

	t.Run("the space key pauses, and the screen stands still", func(t *testing.T) {
		a.mouse(640, 12) // over the header, where no tooltip covers anything
		a.key("space")
		img1, st1 := a.shot()
		img2, st2 := a.shot()
		if !st1.Paused || st2.Steps != st1.Steps {
			t.Fatalf("paused %v, steps %d then %d", st1.Paused, st1.Steps, st2.Steps)
		}
		if !sameRegion(img1, img2, st1.Panels["timeline"]) || !sameRegion(img1, img2, st1.Panels["cpu"]) {
			t.Error("the screen changed while paused")
		}
		if n := countNear(img1, button(t, st1, "space"), model.ButtonOn); n < 100 {
			t.Errorf("the pause button is not lit: %d pixels of its on colour", n)
		}
	})

	t.Run("holding . repeats the step", func(t *testing.T) {
		_, before := a.shot()
		xdo(t, "keydown", "period")
		time.Sleep(1500 * time.Millisecond)
		xdo(t, "keyup", "period")
		_, after := a.shot()
		if d := after.Steps - before.Steps; d < 4 {
			t.Errorf("holding . for 1.5 s stepped %d instructions, want it to repeat", d)
		}
	})

	t.Run("n steps to the next context switch", func(t *testing.T) {
		_, before := a.shot()
		a.key("n")
		_, after := a.shot()
		if after.Focus == before.Focus || !after.Paused || after.Steps == before.Steps {
			t.Errorf("before %+v %d, after %+v %d", before.Focus, before.Steps, after.Focus, after.Steps)
		}
	})

	t.Run("buttons click like their keys", func(t *testing.T) {
		_, st := a.shot()
		a.click(centre(button(t, st, "space")))
		a.click(centre(button(t, st, "+")))
		_, st = a.shot()
		if st.Paused || st.Speed != 100 {
			t.Errorf("after clicking resume and faster: paused %v, speed %d", st.Paused, st.Speed)
		}
		a.click(centre(button(t, st, "-")))
		a.click(centre(button(t, st, "space")))
		_, st = a.shot()
		if !st.Paused || st.Speed != 10 {
			t.Errorf("after clicking slower and pause: paused %v, speed %d", st.Paused, st.Speed)
		}
	})

	t.Run("hovering shows a tooltip", func(t *testing.T) {
		_, st := a.shot()
		a.mouse(st.Map.Min.X+2, st.Map.Min.Y+2) // the first cell of the map
		img, st := a.shot()
		if len(st.Tooltip) == 0 || !strings.HasPrefix(st.Tooltip[0], "frame ") {
			t.Fatalf("tooltip %q", st.Tooltip)
		}
		tip := st.Panels["tooltip"]
		if n := countNear(img, tip, model.TooltipFill); n < tip.Dx()*tip.Dy()/3 {
			t.Errorf("the tooltip %v is not drawn: %d pixels of its colour", tip, n)
		}
	})

	t.Run("a click selects, Esc and the background follow the running thread", func(t *testing.T) {
		_, st := a.shot()
		if len(st.Columns) == 0 {
			t.Fatal("no address-space column to click")
		}
		col := st.Columns[len(st.Columns)-1]
		a.click(col.R.Min.X+5, col.R.Min.Y+5)
		img, st := a.shot()
		if st.Selected.PID != col.PID {
			t.Fatalf("clicked pid %d's column, selected %+v", col.PID, st.Selected)
		}
		if countNear(img, col.R, model.RowHilite) == 0 {
			t.Error("the selected column is not highlighted")
		}
		a.key("Escape")
		_, st = a.shot()
		if st.Selected != (model.Selection{}) {
			t.Errorf("after Esc: selected %+v", st.Selected)
		}
		a.click(col.R.Min.X+5, col.R.Min.Y+5)
		a.click(1, st.Size.Y/2) // the background between panels
		_, st = a.shot()
		if st.Selected != (model.Selection{}) {
			t.Errorf("after a click on the background: selected %+v", st.Selected)
		}
	})

	t.Run("Ctrl+wheel and Ctrl+plus/minus/0 zoom, and the layout re-flows", func(t *testing.T) {
		a.mouse(640, 12)
		img0, st0 := a.shot()
		xdo(t, "keydown", "ctrl", "click", "4", "keyup", "ctrl")
		img1, st1 := a.shot()
		if st1.Zoom <= st0.Zoom || st1.LineH <= st0.LineH {
			t.Fatalf("Ctrl+wheel up: zoom %v -> %v, line %d -> %d", st0.Zoom, st1.Zoom, st0.LineH, st1.LineH)
		}
		h := st0.Panels["header"]
		if countNear(img1, h, model.Background) >= countNear(img0, h, model.Background) {
			t.Error("bigger text does not cover more of the header")
		}
		a.key("ctrl+equal")
		_, st2 := a.shot()
		a.key("ctrl+minus", "ctrl+minus", "ctrl+minus")
		_, st3 := a.shot()
		a.key("ctrl+0")
		_, st4 := a.shot()
		if !(st2.Zoom > st1.Zoom && st3.Zoom < st0.Zoom && st4.Zoom == 1) {
			t.Errorf("zooms: %v %v %v %v %v", st0.Zoom, st1.Zoom, st2.Zoom, st3.Zoom, st4.Zoom)
		}
	})

	t.Run("the wheel zooms the timeline", func(t *testing.T) {
		a.mouse(640, 12)
		a.key("space", "plus", "plus", "plus") // run fast, so that the run is long enough to zoom into
		time.Sleep(2 * time.Second)
		a.key("space")
		_, st := a.shot()
		tl := st.Panels["timeline"]
		a.mouse(tl.Max.X-50, tl.Min.Y+3*st.LineH)
		xdo(t, "click", "4")
		img, st2 := a.shot()
		_ = img
		if !strings.Contains(st2.Timeline, "(zoomed") {
			t.Errorf("timeline after the wheel: %q", st2.Timeline)
		}
	})

	t.Run("resizing re-flows the panels", func(t *testing.T) {
		a.mouse(500, 12)
		xdo(t, "windowsize", "--sync", a.wid, "1024", "700")
		img, st := a.shot()
		if img.Rect.Size() != image.Pt(1024, 700) || st.Size != image.Pt(1024, 700) {
			t.Fatalf("after resizing to 1024x700: image %v, state %v", img.Rect.Size(), st.Size)
		}
		for name, r := range st.Panels {
			if !r.In(img.Rect) {
				t.Errorf("panel %s %v is off the 1024x700 window", name, r)
			}
		}
		help := st.Panels["help"]
		if n := countNear(img, help, model.ButtonFill); n < 1000 {
			t.Errorf("the buttons at the bottom of the re-flowed window: %d pixels", n)
		}
		xdo(t, "windowsize", "--sync", a.wid, "1280", "800")
		if img, _ := a.shot(); img.Rect.Size() != image.Pt(1280, 800) {
			t.Errorf("back to 1280x800: %v", img.Rect.Size())
		}
	})

	t.Run("q quits", func(t *testing.T) {
		a.mouse(640, 12)
		a.key("q")
		done := make(chan error, 1)
		go func() { done <- a.cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("vcpu-gui exited with %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("q did not quit within 10 s")
		}
	})
}

// A screenshot run (-frames) ignores the pointer: a window that opened
// under it showed a tooltip in one screenshot and not in another,
// depending only on the screen's size.
func TestScreenshotRunIgnoresThePointer(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Skip("no X display: run under xvfb-run")
	}
	if _, err := exec.LookPath("xdotool"); err != nil {
		t.Skip("xdotool is not installed")
	}
	dir := t.TempDir()
	bin, out := filepath.Join(dir, "vcpu-gui"), filepath.Join(dir, "shot.png")
	if b, err := exec.Command("go", "build", "-tags", "gui", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, b)
	}
	cmd := exec.Command(bin, "-frames", "150", "-out", out)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ids := strings.Fields(xdo(t, "search", "--sync", "--onlyvisible", "--class", "vcpu-gui"))
	// Over the TLB's rows, each of which has a tooltip in a live window.
	xdo(t, "mousemove", "--window", ids[len(ids)-1], "1000", "380")
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	tip := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.RGBAModel.Convert(img.At(x, y)) == model.TooltipFill {
				tip++
			}
		}
	}
	if tip > 0 {
		t.Errorf("the screenshot shows a tooltip (%d pixels of its fill)", tip)
	}
}
