package image_test

import (
	"reflect"
	"testing"

	"vcpu/asm"
	"vcpu/image"
)

// FuzzUnmarshalProgram: no bytes make the reader panic, and whatever it
// accepts is a valid image that it writes back and reads again unchanged.
// A file that starts with the magic has its length and checksum fixed up
// first, so that mutations of the payload get past the checksum and reach
// the field checks and Validate instead of all failing at the CRC (a test
// of its own, TestUnmarshalEveryBitFlip, covers the checksum).
func FuzzUnmarshalProgram(f *testing.F) {
	for _, s := range []string{"main: ret\n", ".data\nd: .word 1\n.bss\nb: .space 4\n.text\nmain: mov r1, d\nret\n"} {
		p, err := asm.Assemble("seed.s", []byte(s), asm.Options{})
		if err != nil {
			f.Fatal(err)
		}
		b, err := p.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) >= headerSize && string(b[:4]) == image.Magic {
			b = reseal(append([]byte(nil), b...))
		}
		p, err := image.Unmarshal(b)
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted an invalid image: %v", err)
		}
		_ = asm.Disassemble(p)
		b2, err := p.MarshalBinary()
		if err != nil {
			t.Fatalf("accepted a program it cannot write: %v", err)
		}
		q, err := image.Unmarshal(b2)
		if err != nil {
			t.Fatalf("cannot read back what it wrote: %v", err)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("re-read program differs:\n%+v\n%+v", p, q)
		}
	})
}
