package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// The window is its own executable, vcpu-gui: Ebiten needs a display the
// moment it is linked in, and this binary must start without one.

func cmdGUI(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		if len(args) == 0 {
			fmt.Fprintln(stderr, "vcpu: no display, so no window: running the built-in demo headless instead.")
			fmt.Fprintln(stderr, "vcpu: run your own programs with `vcpu run PROG.s` (`vcpu help` lists the commands).")
			return cmdDemo(nil, stdin, stdout, stderr)
		}
		fmt.Fprintln(stderr, "vcpu: no display (DISPLAY is not set), so the window cannot open; use `vcpu run` to run programs headless.")
		return exitLoad
	}
	bin, err := guiBinary()
	if err != nil {
		if len(args) == 0 {
			fmt.Fprintf(stderr, "vcpu: %v; running the built-in demo headless instead.\n", err)
			return cmdDemo(nil, stdin, stdout, stderr)
		}
		fmt.Fprintf(stderr, "vcpu: %v; use `vcpu run` to run programs headless.\n", err)
		return exitLoad
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		fmt.Fprintf(stderr, "vcpu: %v\n", err)
		return exitLoad
	}
	return 0
}

// guiBinary finds vcpu-gui beside this executable, else on PATH.
func guiBinary() (string, error) {
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), "vcpu-gui")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath("vcpu-gui"); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("the window (vcpu-gui) is not installed: build it with `go build -o vcpu-gui ./cmd/vcpu-gui`")
}
