// Package vcpu holds what the commands embed from the top of the source tree:
// the teaching programs in programs/, so that the built-in demo runs from
// any folder, and the built-in library in lib/, which `.include` falls back
// on. (Both hold guest assembly, which the Go tool would take for its own if
// they were Go packages.)
package vcpu

import (
	"embed"
	"io/fs"

	"vcpu/asm"
	"vcpu/image"
)

// Programs holds programs/*.s.
//
//go:embed programs/*.s
var Programs embed.FS

//go:embed lib/*.s
var libFiles embed.FS

// Library is the built-in library: lib/*.s, each file by its bare name
// ("io.s"), as `.include "io.s"` names it.
var Library fs.FS = func() fs.FS {
	sub, err := fs.Sub(libFiles, "lib")
	if err != nil {
		panic(err) // lib is a literal, valid name: fs.Sub cannot fail on it
	}
	return sub
}()

// AsmOptions are the assembler's options in every command: the built-in
// library behind .include.
func AsmOptions() asm.Options { return asm.Options{Library: Library} }

// LoadFile reads a program named on the command line as the commands do
// (`run`, the window): a .vbin file, or source assembled with the built-in
// library.
func LoadFile(path string) (*image.Program, error) { return asm.LoadFile(path, AsmOptions()) }

// Load makes a program from the bytes of a file, as LoadFile does: the
// loader the commands give the kernel for SPAWN (an image.Loader).
func Load(path string, src []byte) (*image.Program, error) {
	return asm.LoadWith(path, src, AsmOptions())
}

// Demo is the path in Programs of the program `vcpu` runs when given none.
const Demo = "programs/demo.s"

// DemoProgram assembles the built-in demo.
func DemoProgram() (*image.Program, error) {
	src, err := Programs.ReadFile(Demo)
	if err != nil {
		return nil, err
	}
	return asm.Assemble(Demo, src, asm.Options{ReadFile: Programs.ReadFile, Library: Library})
}
