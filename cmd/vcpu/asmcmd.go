package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	root "vcpu"
	"vcpu/asm"
)

func newAsmFlags() (*flag.FlagSet, *string) {
	fs := newFlagSet("asm")
	return fs, fs.String("o", "", "write the binary to `FILE` (default: PROG.vbin beside PROG.s)")
}

func cmdAsm(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs, out := newAsmFlags()
	var srcs []string
	for {
		if err := fs.Parse(args); err != nil {
			return usageError(stderr, "asm", err)
		}
		if fs.NArg() == 0 {
			break
		}
		srcs = append(srcs, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(srcs) != 1 {
		return usageError(stderr, "asm", fmt.Errorf("asm takes one program, not %d", len(srcs)))
	}
	p, err := asm.AssembleFileWith(srcs[0], root.AsmOptions())
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
		return usageError(stderr, "disasm", fmt.Errorf("disasm takes one program"))
	}
	p, err := root.LoadFile(args[0])
	if err != nil {
		fmt.Fprintln(stderr, strings.TrimRight(err.Error(), "\n"))
		return exitLoad
	}
	fmt.Fprint(stdout, asm.Disassemble(p))
	return 0
}
