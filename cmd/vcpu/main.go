// Command vcpu assembles and runs toy assembly programs on a virtual CPU with
// an MMU and a tiny kernel, and reports what the processes and threads cost.
//
// Usage: vcpu <command> [flags] [args]; `vcpu help` lists the commands.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"vcpu/internal/machineflags"
)

// Exit statuses of the tool itself (README.md, docs/KERNEL.md). A run's own status is
// pid 1's, or kernel.StatusDeadlock / kernel.StatusStepLimit.
const (
	exitLoad  = 1 // a program does not assemble or load
	exitUsage = 2 // a command-line mistake
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

type command struct {
	name, args, summary string
	run                 func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

var commands []command

func init() {
	commands = []command{
		{"run", "[flags] PROG...", "run programs headless, each as its own process (pid 1, 2, ...)", cmdRun},
		{"asm", "PROG.s [-o PROG.vbin]", "assemble a program ahead of time", cmdAsm},
		{"disasm", "PROG.vbin|PROG.s", "print a program as assembly source", cmdDisasm},
		{"gui", "[flags] PROG...", "open the window on programs (the built-in demo without any)", cmdGUI},
		{"compare", "[flags] A.s B.s", "run two programs alone with the same flags; print their statistics side by side", cmdCompare},
		{"bench", "[-steps N]", "measure how fast this host runs guest instructions", cmdBench},
		{"demo", "[flags]", "run the built-in demo headless and print its statistics", cmdDemo},
		{"lib", "[NAME]", "list the built-in library's files (io.s, string.s), or print one", cmdLib},
		{"version", "", "print the version", cmdVersion},
		{"help", "[COMMAND]", "show this help, or a command's flags", cmdHelp},
	}
}

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// dispatch runs one command line and returns the exit status; main only
// exits with it, so tests can call it directly.
func dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return cmdGUI(nil, stdin, stdout, stderr)
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "-help" {
		name = "help"
	}
	if name == "-version" || name == "--version" {
		name = "version"
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(args[1:], stdin, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "vcpu: unknown command %q\n\n", name)
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: vcpu <command> [flags] [args]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %-24s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\n`vcpu` alone opens the window on the built-in demo (or runs the demo headless without a display).")
	fmt.Fprintln(w, "`vcpu help run` lists the machine's flags. Documentation: docs/ in the source tree.")
}

func cmdVersion(_ []string, _ io.Reader, stdout, _ io.Writer) int {
	fmt.Fprintf(stdout, "vcpu %s\n", version)
	return 0
}

func cmdHelp(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stdout)
		return 0
	}
	switch args[0] {
	case "run", "gui", "demo", "compare":
		fs, _ := newMachineFlags(args[0], stdout)
		switch args[0] {
		case "compare":
			fs, _ = newCompareFlags(stdout)
		case "gui": // the window takes the machine's flags; vcpu-gui -h lists its own
			fs = flag.NewFlagSet("gui", flag.ContinueOnError)
			fs.SetOutput(stdout)
			machineflags.Declare(fs)
		}
		fmt.Fprintf(stdout, "usage: vcpu %s [flags] PROG...\n\nflags:\n", args[0])
		fs.PrintDefaults()
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			fmt.Fprintf(stdout, "usage: vcpu %s %s\n  %s\n", c.name, c.args, c.summary)
			return 0
		}
	}
	fmt.Fprintf(stderr, "vcpu: no help for %q\n", args[0])
	return exitUsage
}
