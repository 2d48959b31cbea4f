package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"vcpu/asm"
)

func cmdAsm(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("asm", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "write the binary to `FILE` (default: PROG.vbin beside PROG.s)")
	var srcs []string
	for {
		if err := fs.Parse(args); err != nil {
			return exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		srcs = append(srcs, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(srcs) != 1 {
		fmt.Fprintln(stderr, "usage: vcpu asm PROG.s [-o PROG.vbin]")
		return exitUsage
	}
	p, err := asm.AssembleFile(srcs[0])
	if err != nil {
		fmt.Fprintln(stderr, strings.TrimRight(err.Error(), "\n"))
		return exitLoad
	}
	if *out == "" {
		*out = strings.TrimSuffix(srcs[0], ".s") + ".vbin"
	}
	b, err := p.MarshalBinary()
	if err == nil {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintf(stderr, "vcpu: %v\n", err)
		return exitLoad
	}
	return 0
}

func cmdDisasm(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, "usage: vcpu disasm PROG.vbin")
		return exitUsage
	}
	p, err := asm.LoadFile(args[0])
	if err != nil {
		fmt.Fprintln(stderr, strings.TrimRight(err.Error(), "\n"))
		return exitLoad
	}
	fmt.Fprint(stdout, asm.Disassemble(p))
	return 0
}
