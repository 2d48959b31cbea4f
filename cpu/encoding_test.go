package cpu_test

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"vcpu/cpu"
)

// TestEncodingGolden pins the byte layout of one instruction of every
// format and mode: header word (opcode, mode, A<<4|B, C<<4), then the
// immediate word, then the target word, all little-endian.
func TestEncodingGolden(t *testing.T) {
	tests := []struct {
		in   cpu.Inst
		want string
	}{
		{nop, "00000000"},
		{movr(1, 2), "01001020"},
		{movi(3, 0x12345678), "0101300078563412"},
		{rrr(cpu.ADD, 1, 2, 3), "02001230"},
		{rri(cpu.ADD, 1, 2, 0xFFFFFFFF), "02011200ffffffff"},
		{rri(cpu.REMU, 15, 14, 10), "0e01fe000a000000"},
		{cpu.Inst{Op: cpu.NOT, A: 4, B: 5}, "0f004500"},
		{cpu.Inst{Op: cpu.NEG, A: 4, B: 5}, "10004500"},
		{one(cpu.INC, 6), "11006000"},
		{one(cpu.DEC, 6), "12006000"},
		{mem(cpu.LD, 1, 2, 8), "1300120008000000"},
		{abs(cpu.LD, 1, 0x10000), "1302100000000100"},
		{mem(cpu.LDB, 1, 2, 0), "1400120000000000"},
		{mem(cpu.ST, 15, 14, 0xFFFFFFFC), "1500fe00fcffffff"},
		{abs(cpu.STB, 2, 0x1234), "1602200034120000"},
		{cpu.Inst{Op: cpu.PUSH, C: 7}, "17000070"},
		{cpu.Inst{Op: cpu.PUSH, Mode: cpu.ModeImm, Imm: 5}, "1701000005000000"},
		{one(cpu.POP, 8), "18008000"},
		{mem(cpu.XCHG, 1, 2, 0), "1900120000000000"},
		{abs(cpu.XADD, 1, 0x10000), "1a02100000000100"},
		{cpu.Inst{Op: cpu.JMP, Target: 0x1000}, "1b00000000100000"},
		{cpu.Inst{Op: cpu.JMP, Mode: cpu.ModeTarget, C: 9}, "1b040090"},
		{cpu.Inst{Op: cpu.BEQ, A: 1, C: 2, Target: 0x1008}, "1c00102008100000"},
		{cpu.Inst{Op: cpu.BEQ, Mode: cpu.ModeImm, A: 1, Imm: 7, Target: 0x1008}, "1c0110000700000008100000"},
		{cpu.Inst{Op: cpu.BGEU, A: 3, C: 4, Target: 0x2000}, "2500304000200000"},
		{cpu.Inst{Op: cpu.CALL, Target: 0x2000}, "2600000000200000"},
		{cpu.Inst{Op: cpu.CALL, Mode: cpu.ModeTarget, C: 3}, "26040030"},
		{ret, "27000000"},
		{syscall, "28000000"},
	}
	for _, tt := range tests {
		got := hex.EncodeToString(tt.in.Append(nil))
		if got != tt.want {
			t.Errorf("%v %+v: encoded %s, want %s", tt.in.Op, tt.in, got, tt.want)
			continue
		}
		if len(got)/2 != tt.in.Size() {
			t.Errorf("%v %+v: Size %d, encoding has %d bytes", tt.in.Op, tt.in, tt.in.Size(), len(got)/2)
		}
		dec, n, err := cpu.Decode(tt.in.Append(nil))
		if err != nil || n != len(got)/2 || dec != tt.in {
			t.Errorf("Decode(%s) = %+v, %d, %v; want %+v, %d", got, dec, n, err, tt.in, len(got)/2)
		}
	}
}

// formModes is the set of modes each format takes: the test's own reading
// of docs/ISA.md, independent of the package's tables.
func formModes(f cpu.Format) []cpu.Mode {
	switch f {
	case cpu.FmtRdRsSrc, cpu.FmtRdSrc, cpu.FmtSrc, cpu.FmtRsSrcTarget:
		return []cpu.Mode{0, cpu.ModeImm}
	case cpu.FmtRegMem:
		return []cpu.Mode{0, cpu.ModeAbs}
	case cpu.FmtTarget:
		return []cpu.Mode{0, cpu.ModeTarget}
	}
	return []cpu.Mode{0}
}

// sample builds an instruction of op in mode m with every field it uses
// set to a distinctive value, and says how many words it encodes to.
func sample(op cpu.Opcode, m cpu.Mode) (cpu.Inst, int) {
	in := cpu.Inst{Op: op, Mode: m}
	words := 1
	imm := m&cpu.ModeImm != 0
	switch cpu.Instructions[op].Format {
	case cpu.FmtRdRsSrc:
		in.A, in.B = 3, 5
	case cpu.FmtRdSrc:
		in.A = 3
	case cpu.FmtRdRs:
		in.A, in.B = 3, 5
	case cpu.FmtRd:
		in.A = 3
	case cpu.FmtRegMem:
		in.A, in.Imm, words = 3, 0xDEADBEEF, 2
		if m&cpu.ModeAbs == 0 {
			in.B = 5
		}
	case cpu.FmtSrc:
	case cpu.FmtTarget:
		if m&cpu.ModeTarget != 0 {
			in.C = 9
		} else {
			in.Target, words = 0x1234, 2
		}
	case cpu.FmtRsSrcTarget:
		in.A, in.Target, words = 3, 0x1234, 2
	}
	switch cpu.Instructions[op].Format {
	case cpu.FmtRdRsSrc, cpu.FmtRdSrc, cpu.FmtSrc, cpu.FmtRsSrcTarget:
		if imm {
			in.Imm = 0xDEADBEEF
			words++
		} else {
			in.C = 9
		}
	}
	return in, words
}

// TestEncodingEveryForm round-trips every opcode in every mode it takes,
// and checks every other mode is rejected by Valid and Decode.
func TestEncodingEveryForm(t *testing.T) {
	forms := 0
	for op := cpu.Opcode(0); op < cpu.NumOpcodes; op++ {
		if cpu.Instructions[op].Name == "" {
			t.Fatalf("opcode %d has no entry in cpu.Instructions", op)
		}
		good := formModes(cpu.Instructions[op].Format)
		for m := 0; m < 256; m++ {
			mode := cpu.Mode(m)
			in, words := sample(op, mode)
			allowed := false
			for _, g := range good {
				allowed = allowed || g == mode
			}
			if !allowed {
				if in.Valid() == nil {
					t.Errorf("%v mode %#x: Valid accepted a mode the format does not take", op, m)
				}
				hdr := []byte{byte(op), byte(m), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
				if _, _, err := cpu.Decode(hdr); err == nil {
					t.Errorf("%v mode %#x: Decode accepted a mode the format does not take", op, m)
				}
				continue
			}
			forms++
			if err := in.Valid(); err != nil {
				t.Errorf("%v mode %#x: Valid(%+v) = %v", op, m, in, err)
				continue
			}
			b := in.Append(nil)
			if len(b) != words*4 || in.Size() != words*4 || cpu.Size(op, mode) != words*4 {
				t.Errorf("%v mode %#x: %d bytes, Size %d, want %d", op, m, len(b), in.Size(), words*4)
			}
			want := []byte{byte(op), byte(m), in.A<<4 | in.B, in.C << 4}
			if b[0] != want[0] || b[1] != want[1] || b[2] != want[2] || b[3] != want[3] {
				t.Errorf("%v mode %#x: header % x, want % x", op, m, b[:4], want)
			}
			// Decode must take exactly this instruction from a longer stream.
			dec, n, err := cpu.Decode(append(b, 0xFF, 0xFF, 0xFF, 0xFF))
			if err != nil || n != len(b) || dec != in {
				t.Errorf("%v mode %#x: Decode = %+v, %d, %v; want %+v", op, m, dec, n, err, in)
			}
			// Every strict prefix is truncated.
			for cut := 0; cut < len(b); cut++ {
				if _, _, err := cpu.Decode(b[:cut]); !errors.Is(err, cpu.ErrTruncated) {
					t.Errorf("%v mode %#x: Decode of %d of %d bytes = %v, want ErrTruncated", op, m, cut, len(b), err)
				}
			}
		}
	}
	if forms != 74 {
		t.Errorf("%d instruction forms, want 74 (docs/ISA.md lists them)", forms)
	}
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		name string
		hex  string
		want string // substring of the error
	}{
		{"empty", "", "truncated"},
		{"short header", "000000", "truncated"},
		{"reserved nibble", "00000001", "reserved"},
		{"reserved nibble with register C", "0100102f", "reserved"},
		{"first unknown opcode", "29000000", "unknown opcode"},
		{"opcode 0xff", "ff000000", "unknown opcode"},
		{"nop with imm mode", "00010000", "mode"},
		{"mode high bit", "02801230", "mode"},
		{"ld with imm mode", "1301120000000000", "mode"},
		{"add with abs mode", "0202123000000000", "mode"},
		{"jmp with imm mode", "1b01000000100000", "mode"},
		{"push with target mode", "17040070", "mode"},
		{"nop with register A", "00001000", "register"},
		{"ret with register C", "27000010", "register"},
		{"inc with register B", "11006100", "register"},
		{"mov imm with register C", "0101301000000000", "register"},
		{"ld abs with base register", "1302120000000000", "register"},
		{"jmp label with register C", "1b00001000100000", "register"},
		{"jmp reg with register A", "1b041090", "register"},
		{"push imm with register A", "1701100005000000", "register"},
		{"mov imm without its word", "01013000", "truncated"},
		{"branch imm without target", "1c01100007000000", "truncated"},
		{"ld without displacement", "13001200", "truncated"},
	}
	for _, tt := range tests {
		b, err := hex.DecodeString(tt.hex)
		if err != nil {
			t.Fatal(err)
		}
		in, n, err := cpu.Decode(b)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Decode(%s) = %+v, %d, %v; want an error about %q", tt.name, tt.hex, in, n, err, tt.want)
		}
		if n != 0 {
			t.Errorf("%s: Decode returned size %d with an error", tt.name, n)
		}
	}
}

func TestValid(t *testing.T) {
	tests := []struct {
		in cpu.Inst
		ok bool
	}{
		{nop, true},
		{cpu.Inst{Op: cpu.NumOpcodes}, false},
		{cpu.Inst{Op: 0xFF}, false},
		{cpu.Inst{Op: cpu.NOP, Imm: 1}, false},
		{cpu.Inst{Op: cpu.NOP, Target: 1}, false},
		{cpu.Inst{Op: cpu.ADD, A: 16, B: 1, C: 2}, false},
		{cpu.Inst{Op: cpu.ADD, A: 1, B: 1, C: 16}, false},
		{cpu.Inst{Op: cpu.ADD, A: 1, B: 1, C: 2, Imm: 3}, false},
		{rri(cpu.ADD, 1, 1, 3), true},
		{cpu.Inst{Op: cpu.ADD, Mode: cpu.ModeImm, A: 1, B: 1, C: 2, Imm: 3}, false},
		{cpu.Inst{Op: cpu.ADD, Mode: cpu.ModeAbs, A: 1, B: 1, C: 2}, false},
		{cpu.Inst{Op: cpu.JMP, Mode: cpu.ModeTarget, C: 2, Target: 4}, false},
		{cpu.Inst{Op: cpu.JMP, Target: 0}, true},
		{cpu.Inst{Op: cpu.BEQ, A: 1, C: 2, Target: 0x1000}, true},
		{cpu.Inst{Op: cpu.BEQ, A: 1, B: 2, C: 2, Target: 0x1000}, false},
		{abs(cpu.LD, 1, 0), true},
		{cpu.Inst{Op: cpu.LD, Mode: cpu.ModeAbs, A: 1, B: 2}, false},
		{cpu.Inst{Op: cpu.PUSH, A: 1, C: 2}, false},
	}
	for _, tt := range tests {
		err := tt.in.Valid()
		if (err == nil) != tt.ok {
			t.Errorf("Valid(%+v) = %v, want ok=%v", tt.in, err, tt.ok)
		}
	}
}

// TestAppendPanicsOnInvalid: an invalid instruction is a bug in its
// builder, never silently encoded.
func TestAppendPanicsOnInvalid(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Append of an invalid instruction did not panic")
		}
	}()
	cpu.Inst{Op: cpu.NOP, A: 1}.Append(nil)
}

func TestISATable(t *testing.T) {
	seen := map[string]bool{}
	for op := cpu.Opcode(0); op < cpu.NumOpcodes; op++ {
		info := cpu.Instructions[op]
		if info.Name == "" || info.Meaning == "" || info.Name != strings.ToLower(info.Name) {
			t.Errorf("opcode %d: bad entry %+v", op, info)
		}
		if seen[info.Name] {
			t.Errorf("mnemonic %q twice", info.Name)
		}
		seen[info.Name] = true
		if got, ok := cpu.Lookup(info.Name); !ok || got != op {
			t.Errorf("Lookup(%q) = %v, %v; want %v", info.Name, got, ok, op)
		}
		if op.String() != info.Name {
			t.Errorf("String(%d) = %q, want %q", op, op.String(), info.Name)
		}
	}
	if _, ok := cpu.Lookup("NOP"); ok {
		t.Error("Lookup is documented as taking lower-case mnemonics")
	}
	if n := (cpu.Inst{Op: 0xFF}).Size(); n != cpu.WordSize {
		t.Errorf("Size of an unknown opcode = %d, want one word", n)
	}
	if s := cpu.NumOpcodes.String(); s != "op41" {
		t.Errorf("String of an unknown opcode = %q", s)
	}
}
