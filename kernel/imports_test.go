package kernel_test

import (
	"go/build"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestImportsPointDown: every core package reaches only the packages below
// it (docs/DESIGN.md): the kernel runs images and never links the
// assembler, the image knows nothing of either, and nothing core reaches
// the window or a command. The imports are read with go/build, as the go
// tool reads them, following every vcpu package transitively.
func TestImportsPointDown(t *testing.T) {
	allowed := map[string][]string{
		"vcpu/cpu":    {},
		"vcpu/abi":    {"vcpu/cpu"},
		"vcpu/image":  {"vcpu/abi", "vcpu/cpu"},
		"vcpu/kernel": {"vcpu/abi", "vcpu/cpu", "vcpu/image", "vcpu/internal/hostfile", "vcpu/internal/termsafe"},
		"vcpu/asm":    {"vcpu/abi", "vcpu/cpu", "vcpu/image", "vcpu/internal/hostfile", "vcpu/internal/termsafe"},
	}
	for pkg, want := range allowed {
		got := deps(t, pkg)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s reaches %v, want exactly %v", pkg, got, want)
		}
	}
}

// deps lists the vcpu packages pkg imports, directly or not, sorted.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	seen := map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		dir := filepath.Join("..", strings.TrimPrefix(p, "vcpu"))
		bp, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, imp := range bp.Imports {
			if (imp == "vcpu" || strings.HasPrefix(imp, "vcpu/")) && !seen[imp] {
				seen[imp] = true
				walk(imp)
			}
		}
	}
	walk(pkg)
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
