//go:build gui

// Command vcpu-gui is vcpu's desktop window: it runs programs (or the
// built-in demo) on the machine and shows memory, registers, segments, the
// TLB, thread states and a timeline live. `vcpu gui` and a bare `vcpu`
// start it when a display is available. It is its own executable because
// Ebiten needs a display the moment it is linked in.
//
// Usage: vcpu-gui [flags] [PROG.s|PROG.vbin ...]
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	root "vcpu"
	"vcpu/image"
	"vcpu/internal/machineflags"
	"vcpu/window"
	"vcpu/window/model"
)

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	var opts window.Options
	fs := flag.NewFlagSet("vcpu-gui", flag.ContinueOnError)
	machine := machineflags.Declare(fs)
	fs.IntVar(&opts.Frames, "frames", 0, "draw `N` frames, write -out and exit (0: run until quit)")
	fs.StringVar(&opts.Out, "out", "", "with -frames: write the last frame as a PNG to `FILE`")
	fs.BoolVar(&opts.Check, "check", false, "with -frames: exit 1 if known pixels of the last frame are wrong")
	speed := fs.Uint64("speed", model.Speeds[model.DefaultSpeed], "instructions per frame at the start (one of 1, 10, 100, 1000, 10000)")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: vcpu-gui [flags] [PROG.s|PROG.vbin ...]  (no programs: the built-in demo)")
		fs.PrintDefaults()
	}
	paths, err := machine.Parse(fs, args)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(os.Stderr, "vcpu-gui: %v\n", err)
		}
		return 2
	}
	cfg := machine.Config
	progs, title, status := load(paths)
	if progs == nil {
		return status
	}
	s, err := model.NewSession(cfg, progs, title, os.Stdout)
	if err != nil {
		fmt.Fprintf(os.Stderr, "vcpu-gui: %v\n", err)
		return 1
	}
	for s.Speed() < *speed && s.Speed() < model.Speeds[len(model.Speeds)-1] {
		s.Faster()
	}
	for s.Speed() > *speed && s.Speed() > model.Speeds[0] {
		s.Slower()
	}
	if err := window.Run(s, opts); err != nil {
		fmt.Fprintf(os.Stderr, "vcpu-gui: %v\n", err)
		return 1
	}
	return 0
}

// load assembles or decodes the programs, or the built-in demo with none.
func load(paths []string) ([]*image.Program, string, int) {
	if len(paths) == 0 {
		p, err := root.DemoProgram()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return nil, "", 1
		}
		return []*image.Program{p}, "the built-in demo (programs/demo.s)", 0
	}
	var progs []*image.Program
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
