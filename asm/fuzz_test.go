package asm

import (
	"os"
	"reflect"
	"testing"
)

// fuzzFiles is the file system .include sees while fuzzing: small, in
// memory, with a cycle, so the fuzzer can reach include handling without
// touching the disk.
var fuzzFiles = map[string][]byte{
	"lib.s":  []byte(".equ K, 3\nlib: ret\n"),
	"loop.s": []byte(".include \"loop.s\"\n"),
	"bad.s":  []byte("movv r1, r99\n"),
}

func fuzzRead(path string) ([]byte, error) {
	if b, ok := fuzzFiles[path]; ok {
		return b, nil
	}
	return nil, os.ErrNotExist
}

// FuzzAssemble: no source makes the assembler panic, and whatever
// assembles survives the listing and .vbin round trips.
func FuzzAssemble(f *testing.F) {
	for _, s := range []string{
		"main: mov r1, 5\nret\n",
		".data\nx: .asciz \"a\\n\"\n.text\nmain: ld r1, [x]\n",
		".macro m a\nl\\@: add \\a, 1\n.endm\nm r1\nm r2\n",
		".include \"lib.s\"\nmain: call lib\n",
		".include \"loop.s\"\n",
		".equ A, B\n.equ B, A\n.space A\n",
		"beq r1, 'x', main\nmain: jmp r3\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Assemble("fuzz.s", src, Options{ReadFile: fuzzRead})
		if err != nil {
			if _, ok := err.(ErrorList); !ok {
				t.Fatalf("error is a %T, not an ErrorList", err)
			}
			_ = err.Error()
			return
		}
		roundTrip(t, p)
	})
}

// FuzzUnmarshalProgram: no bytes make the reader panic, and whatever it
// accepts it writes back and reads again unchanged.
func FuzzUnmarshalProgram(f *testing.F) {
	for _, s := range []string{"main: ret\n", ".data\nd: .word 1\n.bss\nb: .space 4\n.text\nmain: mov r1, d\nret\n"} {
		p, err := Assemble("seed.s", []byte(s), Options{})
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
		p, err := UnmarshalProgram(b)
		if err != nil {
			return
		}
		_ = Disassemble(p)
		b2, err := p.MarshalBinary()
		if err != nil {
			t.Fatalf("accepted a program it cannot write: %v", err)
		}
		q, err := UnmarshalProgram(b2)
		if err != nil {
			t.Fatalf("cannot read back what it wrote: %v", err)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("re-read program differs:\n%+v\n%+v", p, q)
		}
	})
}
