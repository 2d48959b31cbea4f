package cpu_test

import (
	"bytes"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"vcpu/cpu"
)

// FuzzDecode: any bytes either decode to a valid instruction that encodes
// back to exactly the bytes it came from, or give an error; never a panic.
func FuzzDecode(f *testing.F) {
	for _, s := range decodeSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		in, n, err := cpu.Decode(b)
		if err != nil {
			if n != 0 {
				t.Fatalf("Decode(% x) = size %d with error %v", b, n, err)
			}
		} else {
			if verr := in.Valid(); verr != nil {
				t.Fatalf("Decode(% x) = %+v, which is not Valid: %v", b, in, verr)
			}
			if n != in.Size() || n > len(b) || n%cpu.WordSize != 0 {
				t.Fatalf("Decode(% x) = %+v, size %d; Size() %d", b, in, n, in.Size())
			}
			if enc := in.Append(nil); !bytes.Equal(enc, b[:n]) {
				t.Fatalf("Decode(% x) = %+v re-encodes to % x", b[:n], in, enc)
			}
		}
		// Predecoding any text never panics (FuzzRun checks that running
		// it agrees with the slow path).
		if c := cpu.Predecode(codeBase, b); !bytes.Equal(c.Text, b) {
			t.Fatal("Predecode does not keep its text")
		}
	})
}

func decodeSeeds() [][]byte {
	var seeds [][]byte
	for op := cpu.Opcode(0); op < cpu.NumOpcodes; op++ {
		for _, m := range formModes(cpu.Instructions[op].Format) {
			in, _ := sample(op, m)
			seeds = append(seeds, in.Append(nil))
		}
	}
	return append(seeds, nil, []byte{0xFF, 0, 0, 0}, []byte{1, 1, 0x30, 0}, []byte{0, 0, 0, 1})
}

// fuzzBudget bounds each FuzzRun execution.
const fuzzBudget = 3000

// FuzzRun executes arbitrary text in a small address space (code, data
// with a limit that is not page aligned, a two-page stack, an empty heap)
// and checks that Run never panics, stops for a valid reason, never writes
// a frame outside the address space's segments nor the code, and gives
// exactly the same registers, memory, fault and TLB state (counters, lastUse
// of every entry, LRU order) whether it runs one instruction per call on
// the slow path (the reference), one per call keeping the fast paths, or in
// larger slices. Arbitrary text exercises what the assembler never makes:
// jumps into the middle of instructions, instructions straddling pages,
// fused pairs entered at their second half, budgets ending inside them.
func FuzzRun(f *testing.F) {
	for _, s := range runSeeds() {
		f.Add(s.text, s.seed, s.tlb)
	}
	f.Fuzz(func(t *testing.T, text []byte, seed uint32, tlb uint8) {
		if len(text) > 3*cpu.PageSize {
			text = text[:3*cpu.PageSize]
		}
		size := int(tlb%8) + 1
		var ref machineState
		var refLog []string
		for i, w := range []way{reference, {slices: []uint64{1}}, {slices: []uint64{fuzzBudget}}, {slices: []uint64{5, 1, 64}}} {
			m := fuzzMachine(t, text, seed, size)
			log := drive(m, w, fuzzBudget)
			for _, l := range log {
				if strings.HasPrefix(l, "stop") { // StopReason.String of no valid reason
					t.Fatalf("invalid stop: %s", l)
				}
			}
			if len(log) > 0 && strings.HasPrefix(log[len(log)-1], "fault") {
				flt := m.cpu.Fault
				if flt.Kind == cpu.NoFault || flt.PC != m.cpu.PC() || flt.Reason == "" {
					t.Fatalf("bad fault record %+v at pc %#x", flt, m.cpu.PC())
				}
			}
			m.checkCanaries(t)
			var code [3 * cpu.PageSize]byte
			if err := m.as.CopyIn(m.mem, codeBase, code[:len(text)]); len(text) > 0 && (err != nil || !bytes.Equal(code[:len(text)], text)) {
				t.Fatalf("the code changed (%v)", err)
			}
			st := m.state()
			if i == 0 {
				ref, refLog = st, log
				continue
			}
			if d := ref.diff(st); d != "" {
				t.Fatalf("%v differs from stepping: %s", w, d)
			}
			if fmt.Sprint(log) != fmt.Sprint(refLog) {
				t.Fatalf("%v stopped %v, stepping stopped %v", w, log, refLog)
			}
		}
	})
}

// fuzzMachine builds the fuzzing address space for text, with registers
// pointing into every segment (and at their edges) so that random loads and
// stores hit memory, not only faults.
func fuzzMachine(t *testing.T, text []byte, seed uint32, tlb int) *machine {
	segs := []seg{
		{cpu.SegCode, codeBase, uint32(len(text)), cpu.PermR | cpu.PermX, text},
		{cpu.SegData, dataBase, cpu.PageSize + 0x123, cpu.PermR | cpu.PermW, nil},
		{cpu.SegHeap, dataBase + 2*cpu.PageSize, 0, cpu.PermR | cpu.PermW, nil},
		{cpu.SegStack, stackBase, stackSize, cpu.PermR | cpu.PermW, nil},
	}
	m := newMachineFrames(t, 12, tlb, text, segs...)
	m.setWord(t, stackTop-4, gate)
	var ctx cpu.Context
	ctx.PC = codeBase
	ctx.R = [cpu.NumRegs]uint32{
		0, dataBase, dataBase + cpu.PageSize - 2, dataBase + cpu.PageSize + 0x120,
		stackBase, stackBase + cpu.PageSize - 1, codeBase, codeBase + uint32(len(text)) - 4,
		seed, seed * 0x9E3779B9, seed >> 16, 1, 0xFFFFFFFF, intMin, stackTop - 64, stackTop - 4,
	}
	m.cpu.SetContext(ctx)
	return m
}

type runSeed struct {
	text []byte
	seed uint32
	tlb  uint8
}

// runSeeds are the programs of the other tests: the fuzzer starts from
// code that loops, calls, touches pages and faults in interesting ways.
func runSeeds() []runSeed {
	var seeds []runSeed
	ps := diffPrograms()
	for _, name := range slices.Sorted(maps.Keys(ps)) {
		seeds = append(seeds, runSeed{ps[name].Bytes(), 1, 1}, runSeed{ps[name].Bytes(), 7, 3})
	}
	for i, tt := range semTests() {
		if i%4 == 0 {
			seeds = append(seeds, runSeed{tt.code.Bytes(), uint32(i), uint8(i)})
		}
	}
	for _, tt := range faultTests() {
		seeds = append(seeds, runSeed{tt.code.Bytes(), 3, 2})
	}
	return seeds
}

var writeSeeds = flag.Bool("writeseeds", false, "rewrite the fuzz seed corpora under testdata/fuzz")

// TestWriteSeeds writes the seeds of FuzzDecode and FuzzRun to
// testdata/fuzz (with -writeseeds), so that the corpora are files to
// review; crashers the fuzzer finds land beside them.
func TestWriteSeeds(t *testing.T) {
	if !*writeSeeds {
		t.Skip("use -writeseeds to rewrite testdata/fuzz")
	}
	write := func(target string, i int, body string) {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(dir, fmt.Sprintf("seed-%03d", i))
		if err := os.WriteFile(name, []byte("go test fuzz v1\n"+body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, s := range decodeSeeds() {
		write("FuzzDecode", i, fmt.Sprintf("[]byte(%q)\n", s))
	}
	for i, s := range runSeeds() {
		write("FuzzRun", i, fmt.Sprintf("[]byte(%q)\nuint32(%d)\nuint8(%d)\n", s.text, s.seed, s.tlb))
	}
}
