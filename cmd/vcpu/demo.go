package main

import (
	"fmt"
	"io"

	root "vcpu"
	"vcpu/image"
)

// cmdDemo runs the built-in demo headless, with statistics, so that even
// without a display the first thing a newcomer sees is processes and
// threads side by side.
func cmdDemo(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, m := newMachineFlags("demo")
	rest, err := m.Parse(fs, args)
	if err == nil {
		err = m.check()
	}
	if err != nil {
		return usageError(stderr, "demo", err)
	}
	if len(rest) > 0 {
		return usageError(stderr, "demo", fmt.Errorf("demo takes no programs (use `vcpu run`)"))
	}
	m.stats = true
	p, err := root.DemoProgram()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitLoad
	}
	return runMachine(m, []*image.Program{p}, stdin, stdout, stderr)
}
