package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestConformance builds the vcpu binary and runs the programmer's-contract
// suite (../shared/conformance, beside the checkout) against it, so that
// `go test ./...` is the whole test suite.
func TestConformance(t *testing.T) {
	runner, _ := filepath.Abs("../../../shared/conformance/run")
	if _, err := os.Stat(runner); err != nil {
		t.Skipf("no conformance suite at %s", runner)
	}
	bin := vcpuBinary(t) // the one build the signal tests use too
	// The suite and, as .ci/run does, the cases of the contract's additions
	// (../shared/conformance-next), which all pass now.
	next := filepath.Join(filepath.Dir(runner), "..", "conformance-next")
	out, err := exec.Command(runner, bin, filepath.Dir(runner), next).CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "FAIL") || strings.HasPrefix(line, "conformance:") || strings.HasPrefix(line, "  ") {
			t.Log(line)
		}
	}
	if err != nil {
		t.Fatalf("conformance suite failed: %v", err)
	}
}
