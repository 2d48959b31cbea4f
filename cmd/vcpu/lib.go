package main

import (
	"fmt"
	"io"
	"io/fs"
	"strings"

	root "vcpu"
)

// cmdLib shows the built-in library: with no argument a line per file,
// with a name the file itself, so a student can read how each routine works.
func cmdLib(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	names, err := libNames()
	if err != nil {
		fmt.Fprintf(stderr, "vcpu: lib: %v\n", err)
		return exitLoad
	}
	switch len(args) {
	case 0:
		fmt.Fprintln(stdout, "The built-in library: `.include \"NAME\"` takes these when no file NAME is beside the program.")
		for _, n := range names {
			src, _ := fs.ReadFile(root.Library, n)
			fmt.Fprintf(stdout, "  %-10s %s\n", n, libSummary(string(src)))
		}
		fmt.Fprintln(stdout, "`vcpu lib NAME` prints one.")
		return 0
	case 1:
		name := args[0]
		if !strings.HasSuffix(name, ".s") {
			name += ".s" // `vcpu lib io` is io.s
		}
		src, err := fs.ReadFile(root.Library, name)
		if err != nil || strings.HasPrefix(args[0], "-") {
			fmt.Fprintf(stderr, "vcpu: lib: no library file %q; the library has: %s\n", args[0], strings.Join(names, ", "))
			return exitUsage
		}
		stdout.Write(src)
		return 0
	}
	return usageError(stderr, "lib", fmt.Errorf("lib takes at most one name"))
}

// libNames lists the library's files, sorted (fs.ReadDir sorts).
func libNames() ([]string, error) {
	entries, err := fs.ReadDir(root.Library, ".")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names, nil
}

// mustLibNames is libNames for the command table, built before main runs:
// the library is embedded, so a failure is a broken build.
func mustLibNames() []string {
	names, err := libNames()
	if err != nil {
		panic(err)
	}
	return names
}

// libSummary is what a library file's first line says after its name:
// "; io.s — print numbers ..." gives "print numbers ...".
func libSummary(src string) string {
	first, _, _ := strings.Cut(src, "\n")
	if _, after, ok := strings.Cut(first, "—"); ok {
		return strings.TrimSpace(after)
	}
	return strings.TrimSpace(strings.TrimLeft(first, ";# "))
}
