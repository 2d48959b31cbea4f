//go:build gui

// Command vcpu-gui is vcpu's desktop window: it runs programs (or the
// built-in demo) on the machine and shows memory, address spaces, the
// source, registers, the TLB, threads and a timeline live. `vcpu gui` and
// a bare `vcpu` start it when a display is available. It is its own
// executable because Ebiten needs a display the moment it is linked in.
//
// Usage: vcpu-gui [flags] [PROG.s|PROG.vbin ...]
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"

	root "vcpu"
	vimage "vcpu/image"
	"vcpu/internal/hostfile"
	"vcpu/internal/machineflags"
	"vcpu/window"
	"vcpu/window/model"
)

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	var opts window.Options
	fs := flag.NewFlagSet("vcpu-gui", flag.ContinueOnError)
	machine := machineflags.Declare(fs)
	fs.IntVar(&opts.Frames, "frames", 0, "draw `N` frames, write -out and exit (0: run until quit); the mouse is ignored")
	out := fs.String("out", "", "with -frames: write the last frame as a PNG to `FILE`")
	check := fs.Bool("check", false, "with -frames: exit 1 if known pixels of the last frame are wrong")
	speed := fs.String("speed", fmt.Sprint(model.Speeds[model.DefaultSpeed]), "instructions per frame at the start (1, 10, 100, ... 1000000), or top")
	size := fs.String("size", "1280x800", "the window's size `WxH`")
	zoom := fs.Int("zoom", 0, "text size steps from 100% (-3 … +5, like Ctrl+minus and Ctrl+plus)")
	paused := fs.Bool("paused", false, "start paused")
	report := fs.Int("fps-report", 0, "measure the frame rate: alternate `N` frames of an empty window and N of this one, 6 times each, print both and exit")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to `FILE` (for tuning the frame's cost)")
	shotDir := fs.String("shot-dir", "", "F12 writes the screen to `DIR`/shot-N.png, with shot-N.json (panels, buttons, state) beside it")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: vcpu-gui [flags] [PROG.s|PROG.vbin ...]  (no programs: the built-in demo)")
		fs.PrintDefaults()
	}
	paths, err := machine.Parse(fs, args)
	if err == nil {
		opts.Size, err = parseSize(*size)
	}
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(os.Stderr, "vcpu-gui: %v\n", err)
		}
		return 2
	}
	progs, title, status := load(paths)
	if progs == nil {
		return status
	}
	s, err := model.NewSession(machine.Config, progs, title, os.Stdout)
	if err != nil {
		fmt.Fprintf(os.Stderr, "vcpu-gui: %v\n", err)
		return 1
	}
	s.SetSources(sources(len(paths) == 0))
	if err := setSpeed(s, *speed); err != nil {
		fmt.Fprintf(os.Stderr, "vcpu-gui: %v\n", err)
		return 2
	}
	s.ZoomBy(*zoom)
	if *paused {
		s.TogglePause()
	}
	checkFailed := false
	opts.Last = func(img *image.RGBA, f *model.Frame) error {
		if *out != "" {
			if err := writePNG(*out, img); err != nil {
				return err
			}
		}
		if *check {
			for _, p := range window.Check(img, f) {
				fmt.Fprintln(os.Stderr, "vcpu-gui: check:", p)
				checkFailed = true
			}
		}
		return nil
	}
	if *shotDir != "" {
		shots := 0
		opts.Shot = func(img *image.RGBA, f *model.Frame) error {
			name := filepath.Join(*shotDir, fmt.Sprintf("shot-%d", shots))
			shots++
			if err := writePNG(name+".png", img); err != nil {
				return err
			}
			return writeState(name+".json", s, f, img.Rect.Size())
		}
	}
	if *report > 0 {
		opts.ReportFrames = *report
		opts.FPSReport = func(r window.Report) {
			fmt.Printf("fps-report %dx%d, %s: empty window %.1f fps, this window %.1f fps (%.0f%%), machine %.4g instr/s (%.0f instr/frame), %d frames each\n",
				r.Size.X, r.Size.Y, speedName(s), r.EmptyFPS, r.WindowFPS, 100*r.WindowFPS/max(r.EmptyFPS, 1e-9), r.InstrPerSecond, r.InstrPerFrame, r.Frames)
		}
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintf(os.Stderr, "vcpu-gui: %v\n", err)
			return 1
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if err := window.Run(s, opts); err != nil {
		fmt.Fprintf(os.Stderr, "vcpu-gui: %v\n", err)
		return 1
	}
	if checkFailed {
		fmt.Fprintf(os.Stderr, "vcpu-gui: %v\n", window.ErrCheck)
		return 1
	}
	return 0
}

func speedName(s *model.Session) string {
	if s.AtTop() {
		return "top speed"
	}
	return fmt.Sprintf("speed %d", s.Speed())
}

func setSpeed(s *model.Session, v string) error {
	if v == "top" {
		s.SetTop(true)
		return nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return fmt.Errorf("-speed %q: want a number of instructions per frame or top", v)
	}
	for s.Speed() < n && !s.AtTop() && s.Speed() < model.Speeds[len(model.Speeds)-1] {
		s.Faster()
	}
	for s.Speed() > n && s.Speed() > model.Speeds[0] {
		s.Slower()
	}
	return nil
}

func parseSize(v string) (image.Point, error) {
	w, h, ok := strings.Cut(v, "x")
	x, err1 := strconv.Atoi(w)
	y, err2 := strconv.Atoi(h)
	if !ok || err1 != nil || err2 != nil || x < 320 || y < 240 || x > 8192 || y > 8192 {
		return image.Point{}, fmt.Errorf("-size %q: want WxH, e.g. 1280x800", v)
	}
	return image.Pt(x, y), nil
}

// maxSource is the largest source file the listing reads (a byte short
// of 8 MiB).
const maxSource = 8<<20 - 1

// sources reads a program's source files for the listing: the demo's from
// the embedded programs, others from disk, and the built-in library's
// (what `.include` found there) from the library. It keeps what it read.
func sources(demo bool) func(string) []string {
	cache := map[string][]string{}
	return func(file string) []string {
		if l, ok := cache[file]; ok {
			return l
		}
		var b []byte
		var err error
		if demo {
			b, err = root.Programs.ReadFile(file)
		}
		if !demo || err != nil {
			b, err = hostfile.ReadRegular(file, maxSource)
		}
		if err != nil {
			b, err = fs.ReadFile(root.Library, filepath.Base(file))
		}
		var lines []string
		if err == nil && b != nil {
			lines = strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		}
		cache[file] = lines
		return lines
	}
}

// load assembles or decodes the programs, or the built-in demo with none.
func load(paths []string) ([]*vimage.Program, string, int) {
	if len(paths) == 0 {
		p, err := root.DemoProgram()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return nil, "", 1
		}
		return []*vimage.Program{p}, "the built-in demo (programs/demo.s)", 0
	}
	var progs []*vimage.Program
	var names []string
	failed := false
	for _, path := range paths {
		p, err := root.LoadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, strings.TrimRight(err.Error(), "\n"))
			failed = true
			continue
		}
		progs = append(progs, p)
		names = append(names, p.Name)
	}
	if failed {
		return nil, "", 1
	}
	return progs, strings.Join(names, ", "), 0
}

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

// state is what shot-N.json says about the frame beside it: where things
// are, so that a test driving the window with real X events knows where
// to click and what to expect.
type state struct {
	Size     image.Point
	Zoom     float64
	LineH    int
	Paused   bool
	Top      bool
	Speed    uint64
	Steps    uint64
	Selected model.Selection
	Focus    model.Selection
	Panels   map[string]image.Rectangle
	Buttons  []model.Button
	Lanes    []model.Lane
	Columns  []model.SpaceColumn
	Tooltip  []string
	Banner   *model.Banner
	Ended    string
	Header   string
	Timeline string          // the timeline panel's texts
	Map      image.Rectangle // the memory map's cells
}

func writeState(path string, s *model.Session, f *model.Frame, size image.Point) error {
	st := state{Size: size, Zoom: model.Zooms[s.Zoom()], LineH: f.Geo.LineH, Paused: s.Paused(), Top: s.AtTop(), Speed: s.Speed(),
		Steps: s.Instructions(), Selected: f.Selected, Focus: f.Focus, Buttons: f.Buttons, Lanes: f.Lanes, Banner: f.Banner, Ended: f.Ended,
		Panels: map[string]image.Rectangle{}}
	for _, c := range f.Columns {
		c.Regions = nil
		st.Columns = append(st.Columns, c)
	}
	for _, np := range f.Named() {
		st.Panels[np.Name] = np.Panel.Rect
	}
	if f.Tooltip != nil {
		for _, l := range f.Tooltip.Texts {
			st.Tooltip = append(st.Tooltip, l.S)
		}
	}
	for _, l := range f.Header.Texts {
		st.Header += l.S + " | "
	}
	if f.MemoryMap != nil {
		st.Map = f.MemoryMap.Rect
	}
	for _, l := range f.Timeline.Texts {
		if l.Full != "" {
			st.Timeline += l.Full + " | "
		} else {
			st.Timeline += l.S + " | "
		}
	}
	b, err := json.MarshalIndent(st, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
