// Package vcpu holds what the commands embed from the top of the source tree:
// the teaching programs in programs/, so that the built-in demo runs from
// any folder. (programs/ holds guest assembly, which the Go tool would take
// for its own if it were a Go package.)
package vcpu

import (
	"embed"

	"vcpu/asm"
	"vcpu/image"
)

// Programs holds programs/*.s.
//
//go:embed programs/*.s
var Programs embed.FS

// Demo is the path in Programs of the program `vcpu` runs when given none.
const Demo = "programs/demo.s"

// DemoProgram assembles the built-in demo.
func DemoProgram() (*image.Program, error) {
	src, err := Programs.ReadFile(Demo)
	if err != nil {
		return nil, err
	}
	return asm.Assemble(Demo, src, asm.Options{ReadFile: Programs.ReadFile})
}
