package image_test

import (
	"encoding/binary"
	"hash/crc32"
	"strings"
	"testing"

	"vcpu/asm"
	"vcpu/image"
)

// headerSize is the .vbin header's length (docs/VBIN.md).
const headerSize = 16

func assemble(t *testing.T, src string) *image.Program {
	t.Helper()
	p, err := asm.Assemble("test.s", []byte(src), asm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// sampleBinary is a real .vbin with every section, symbols and a source map.
func sampleBinary(t *testing.T) []byte {
	t.Helper()
	p := assemble(t, `
        .data
msg:    .asciz "hi\n"
        .bss
buf:    .space 32
        .text
main:   mov r1, msg
        ld  r2, [buf]
        ret
`)
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// reseal recomputes the header's length and checksum after an edit, so a
// test can reach the checks behind the checksum: lengths that lie, bad
// bases, a bad entry point.
func reseal(b []byte) []byte {
	binary.LittleEndian.PutUint32(b[8:], uint32(len(b)-headerSize))
	binary.LittleEndian.PutUint32(b[12:], crc32.ChecksumIEEE(b[headerSize:]))
	return b
}

func TestUnmarshalTruncated(t *testing.T) {
	b := sampleBinary(t)
	for n := 0; n < len(b); n++ {
		_, err := image.Unmarshal(b[:n])
		if err == nil {
			t.Fatalf("truncated to %d bytes: no error", n)
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "vbin: ") || !strings.Contains(msg, "truncated") && n >= 4 {
			t.Fatalf("truncated to %d bytes: unclear error %q", n, msg)
		}
	}
	// The message names the field the file ends in.
	_, err := image.Unmarshal(b[:len(b)-5])
	if err == nil || !strings.Contains(err.Error(), "reading source map entries") {
		t.Errorf("got %v", err)
	}
}

func TestUnmarshalDamaged(t *testing.T) {
	good := sampleBinary(t)
	edit := func(f func(b []byte) []byte) []byte {
		return f(append([]byte(nil), good...))
	}
	// put32 is good with the word at byte at set to v, resealed so that the
	// check behind the checksum sees it.
	put32 := func(at int, v uint32) []byte {
		return edit(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[at:], v)
			return reseal(b)
		})
	}
	// Offsets into the payload, from the layout in docs/VBIN.md: the name
	// "test" (4+4 bytes), then the text base.
	const textBaseAt = headerSize + 8
	textLenAt := textBaseAt + 4
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "vbin: empty file"},
		{"wrong magic", edit(func(b []byte) []byte { b[0] = 'X'; return b }), `not a .vbin file (it starts with "XBIN"`},
		{"source text", []byte("main: ret\n; a source file, not a binary\n"), "not a .vbin file"},
		{"bad version", edit(func(b []byte) []byte { b[4] = 9; return b }), "unsupported version 9"},
		{"absurd payload", edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], 1<<31); return b }), "more than a 64 MiB program file can hold"},
		{"payload length short", edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], uint32(len(b)-headerSize-3)); return b }), "3 bytes of trailing garbage"},
		{"trailing garbage", append(append([]byte(nil), good...), 1, 2), "2 bytes of trailing garbage"},
		{"flipped payload bit", edit(func(b []byte) []byte { b[len(b)-7] ^= 0x10; return b }), "checksum mismatch"},
		{"flipped checksum", edit(func(b []byte) []byte { b[12] ^= 1; return b }), "checksum mismatch"},
		{"lying text length", put32(textLenAt, 5000), "the text segment at byte 32 needs 5000 bytes but only"},
		{"absurd text length", put32(textLenAt, 1<<30), "over the 16777216-byte limit"},
		{"text base not page aligned", put32(textBaseAt, 0x1010), "text base 0x1010 is not page aligned"},
		{"text base at zero", put32(textBaseAt, 0), "text segment at 0x0 overlaps"},
		{"text overlaps data", put32(textBaseAt, 0x2000), "data segment at 0x2000 overlaps"},
		{"trailing bytes inside payload", reseal(append(append([]byte(nil), good...), 0, 0, 0)), "3 unexpected bytes after the source map"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := image.Unmarshal(tc.b)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestUnmarshalEveryBitFlip flips each bit of a real file: each one must
// be refused (the checksum or the header checks see it), never panic.
func TestUnmarshalEveryBitFlip(t *testing.T) {
	good := sampleBinary(t)
	for i := range good {
		for bit := 0; bit < 8; bit++ {
			b := append([]byte(nil), good...)
			b[i] ^= 1 << bit
			if _, err := image.Unmarshal(b); err == nil {
				t.Fatalf("flipping bit %d of byte %d went unnoticed", bit, i)
			}
		}
	}
}

// TestMarshalRefusesInvalid: a Program that could not be read back is not written.
func TestMarshalRefusesInvalid(t *testing.T) {
	good := func() *image.Program { return assemble(t, "main: ret\n") }
	tests := map[string]func(p *image.Program){
		"entry outside text": func(p *image.Program) { p.Entry = 0x9000 },
		"unaligned entry":    func(p *image.Program) { p.Entry++ },
		"huge bss":           func(p *image.Program) { p.BSSSize = 1 << 30 },
		"unordered lines":    func(p *image.Program) { p.Lines = append(p.Lines, p.Lines[0]) },
		"bad file index":     func(p *image.Program) { p.Lines[0].File = 7 },
		"empty symbol name":  func(p *image.Program) { p.Symbols = append(p.Symbols, image.Symbol{}) },
		"bad section":        func(p *image.Program) { p.Symbols[0].Section = 9 },
	}
	for name, damage := range tests {
		t.Run(name, func(t *testing.T) {
			p := good()
			damage(p)
			if _, err := p.MarshalBinary(); err == nil || !strings.HasPrefix(err.Error(), "vbin: cannot write program") {
				t.Errorf("got %v", err)
			}
		})
	}
}
