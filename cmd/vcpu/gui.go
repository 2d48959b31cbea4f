package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	bin, err := guiBinary(stderr)
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

// guiPackages are the Debian/Ubuntu packages the window builds and runs
// with (docs/WINDOW.md).
const guiPackages = "gcc libc6-dev libx11-dev libxrandr-dev libxxf86vm-dev libxi-dev libxcursor-dev libxinerama-dev libgl-dev libgl1-mesa-dri"

// guiBinary finds vcpu-gui beside this executable or on PATH. Run from the
// source tree (as `go run ./cmd/vcpu` is), it builds the window into the
// user's cache the first time, so the README's one command opens it.
func guiBinary(stderr io.Writer) (string, error) {
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), "vcpu-gui")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath("vcpu-gui"); err == nil {
		return p, nil
	}
	if _, err := os.Stat(filepath.Join("cmd", "vcpu-gui", "main.go")); err != nil {
		return "", fmt.Errorf("the window (vcpu-gui) is not installed: build it with `go build -tags gui -o vcpu-gui ./cmd/vcpu-gui` in the source tree")
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	bin := filepath.Join(cache, "vcpu", "vcpu-gui")
	fmt.Fprintln(stderr, "vcpu: building the window (cmd/vcpu-gui) into "+bin+"…")
	build := exec.Command("go", "build", "-tags", "gui", "-o", bin, "./cmd/vcpu-gui")
	build.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("the window did not build (it needs cgo and the X11/GL headers: "+
			"sudo apt-get install %s):\n%s", guiPackages, lastLines(string(out), 4))
	}
	return bin, nil
}

// lastLines keeps the end of a long build log.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
