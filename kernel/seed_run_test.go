package kernel_test

import (
	"testing"

	"vcpu/kernel"
)

// Every dispatch draws a quantum, also when the thread that gave up the CPU
// is the only one and runs again; the first thread's first quantum is the
// first draw (19, 45, 14, 10, 12 for seed 5 and quantum 50).
func TestSeededQuantaAtEveryDispatch(t *testing.T) {
	m := boot(t, cfgWith(func(c *kernel.Config) {
		c.Quantum, c.Seed, c.Seeded, c.MaxSteps = 50, 5, true, 100
	}), "main: jmp main\n")
	m.Run()
	if got, want := m.schedule(), "1@0-19 1@19-64 1@64-78 1@78-88 1@88-100"; got != want {
		t.Errorf("slices %s, want %s", got, want)
	}
	m = boot(t, cfgWith(func(c *kernel.Config) { c.Quantum, c.MaxSteps = 50, 100 }), "main: jmp main\n")
	m.Run()
	if got, want := m.schedule(), "1@0-50 1@50-100"; got != want {
		t.Errorf("without a seed: slices %s, want %s", got, want)
	}
}
