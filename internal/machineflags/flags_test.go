package machineflags_test

import (
	"flag"
	"io"
	"slices"
	"strings"
	"testing"

	"vcpu/internal/machineflags"
)

func TestSize(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"1048576", 1 << 20, true}, {"1024K", 1 << 20, true}, {"1M", 1 << 20, true},
		{"64k", 64 << 10, true}, {"2MiB", 2 << 20, true}, {"1G", 1 << 30, true}, {"512KB", 512 << 10, true},
		{"lots", 0, false}, {"-1K", 0, false}, {"3G", 0, false}, {"", 0, false}, {"K", 0, false},
	}
	for _, tc := range tests {
		var s machineflags.Size
		err := s.Set(tc.in)
		if (err == nil) != tc.ok || (tc.ok && int(s) != tc.want) {
			t.Errorf("Set(%q) = %d, %v; want %d, ok %v", tc.in, s, err, tc.want, tc.ok)
		}
	}
}

func TestParseTakesFlagsAnywhere(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := machineflags.Declare(fs)
	progs, err := f.Parse(fs, strings.Fields("a.s --quantum 7 b.s --mem 2M --asid c.s"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(progs, []string{"a.s", "b.s", "c.s"}) || f.Config.Quantum != 7 || f.Config.MemSize != 2<<20 || !f.Config.ASID {
		t.Errorf("progs %v, config %+v", progs, f.Config)
	}
	fs = flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f = machineflags.Declare(fs)
	if _, err := f.Parse(fs, []string{"--tlb", "0", "a.s"}); err == nil || !strings.Contains(err.Error(), "tlb") {
		t.Errorf("--tlb 0: error %v, want one about the TLB", err)
	}
}
