// Command vcpu assembles and runs toy assembly programs on a virtual CPU with
// an MMU and a tiny kernel, and reports what the processes and threads cost.
//
// Usage: vcpu <command> [flags] [args]; `vcpu help` lists the commands.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"vcpu/internal/machineflags"
)

// Exit statuses of the tool itself (README.md, docs/RUN.md). A run's own status is
// pid 1's, or kernel.StatusDeadlock / kernel.StatusStepLimit / kernel.StatusInterrupted.
const (
	exitLoad  = 1 // a program does not assemble, load or start, or a report (--trace, --stats-json, --fs-save) cannot be written
	exitUsage = 2 // a command-line mistake
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

type command struct {
	name, args, summary string
	run                 func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
	// flags declares the command's flags on a new set, for its help; nil
	// for a command without flags.
	flags func() *flag.FlagSet
}

var commands []command

func init() {
	commands = []command{
		{"run", "[flags] PROG...", "run programs headless, each as its own process (pid 1, 2, ...)", cmdRun,
			func() *flag.FlagSet { fs, _ := newMachineFlags("run"); return fs }},
		{"asm", "PROG.s [-o PROG.vbin]", "assemble a program ahead of time", cmdAsm,
			func() *flag.FlagSet { fs, _ := newAsmFlags(); return fs }},
		{"disasm", "PROG.vbin|PROG.s", "print a program as assembly source", cmdDisasm, nil},
		{"gui", "[flags] [PROG...]", "open the window on programs (the built-in demo without any)", cmdGUI,
			func() *flag.FlagSet {
				// The window takes the machine's flags; vcpu-gui -h lists its own.
				fs := newFlagSet("gui")
				machineflags.Declare(fs)
				return fs
			}},
		{"compare", "[flags] A.s B.s", "run exactly two programs, each alone with the same flags: outcomes and figures side by side", cmdCompare,
			func() *flag.FlagSet { fs, _ := newCompareFlags(); return fs }},
		{"bench", "[-steps N]", "measure how fast this host runs guest instructions", cmdBench,
			func() *flag.FlagSet { fs, _ := newBenchFlags(); return fs }},
		{"demo", "[flags]", "run the built-in demo headless and print its statistics", cmdDemo,
			func() *flag.FlagSet { fs, _ := newMachineFlags("demo"); return fs }},
		{"lib", "[NAME]", "list the built-in library's files (" + strings.Join(mustLibNames(), ", ") + "), or print one", cmdLib, nil},
		{"version", "", "print the version", cmdVersion, nil},
		{"help", "[COMMAND]", "show this help, or a command's usage and flags", cmdHelp, nil},
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

func cmdVersion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		return usageError(stderr, "version", fmt.Errorf("version takes no arguments"))
	}
	fmt.Fprintf(stdout, "vcpu %s\n", version)
	return 0
}

func cmdHelp(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stdout)
		return 0
	}
	if len(args) > 1 {
		return usageError(stderr, "help", fmt.Errorf("help takes one command"))
	}
	if lookupCommand(args[0]) == nil {
		fmt.Fprintf(stderr, "vcpu: no help for %q\n", args[0])
		return exitUsage
	}
	printHelp(stdout, args[0])
	return 0
}

// printHelp prints a command's usage line, what it does and its flags.
func printHelp(w io.Writer, name string) {
	c := lookupCommand(name)
	fmt.Fprintf(w, "%s\n  %s\n", usageLine(c.name), c.summary)
	if c.flags != nil {
		fmt.Fprintln(w, "\nflags:")
		fs := c.flags()
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

func lookupCommand(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// usageLine is a command's one usage line, as help and every usage error
// print it: the command table is its only source.
func usageLine(name string) string {
	c := lookupCommand(name)
	return strings.TrimSpace("usage: vcpu " + c.name + " " + c.args)
}

// newFlagSet makes a command's flag set. It prints nothing itself: a
// mistake is reported once, by usageError, and -h prints the command's own
// help rather than Go's "Usage of".
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// usageError reports a command-line mistake with the command's usage line,
// and returns the status for it; for -h it prints the command's help.
func usageError(stderr io.Writer, name string, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		printHelp(stderr, name)
		return exitUsage
	}
	fmt.Fprintf(stderr, "vcpu: %v\n%s\n(see `vcpu help %s`)\n", err, usageLine(name), name)
	return exitUsage
}
