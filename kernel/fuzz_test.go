package kernel_test

import (
	"encoding/binary"
	"io"
	"testing"

	"vcpu/abi"
	"vcpu/cpu"
	"vcpu/image"
	"vcpu/kernel"
)

// FuzzSyscalls runs guest programs made of arbitrary syscalls with arbitrary
// arguments, two processes of them, with fork and thread creation in reach:
// whatever they ask, the kernel must not panic or hang, and its invariants
// (frames mapped once, threads where their state says) must hold after.
func FuzzSyscalls(f *testing.F) {
	seed := func(calls ...[5]uint32) []byte {
		var b []byte
		for _, c := range calls {
			for _, w := range c {
				b = binary.LittleEndian.AppendUint32(b, w)
			}
		}
		return b
	}
	f.Add(seed([5]uint32{uint32(abi.SysFork)}, [5]uint32{uint32(abi.SysPipe), 0x2000}, [5]uint32{uint32(abi.SysWrite), 1, 0x1000, 8}))
	f.Add(seed([5]uint32{uint32(abi.SysThreadCreate), 0x1000, 7}, [5]uint32{uint32(abi.SysLock), 0x2000}, [5]uint32{uint32(abi.SysThreadJoin), 2}))
	f.Add(seed([5]uint32{uint32(abi.SysSbrk), 8192}, [5]uint32{uint32(abi.SysSbrk), 0xFFFFF000}, [5]uint32{uint32(abi.SysSleep), 100}))
	f.Add(seed([5]uint32{uint32(abi.SysListen), 7}, [5]uint32{uint32(abi.SysConnect), 7}, [5]uint32{uint32(abi.SysAccept), 3}))
	f.Fuzz(func(t *testing.T, b []byte) {
		var text []byte
		for len(b) >= 20 && len(text) < 4000 {
			for r := range 5 {
				in := cpu.Inst{Op: cpu.MOV, Mode: cpu.ModeImm, A: uint8(r), Imm: binary.LittleEndian.Uint32(b[4*r:])}
				if r == 0 {
					in.Imm %= uint32(abi.NumSyscalls) + 2
				}
				text = in.Append(text)
			}
			text = cpu.Inst{Op: cpu.SYSCALL}.Append(text)
			b = b[20:]
		}
		text = cpu.Inst{Op: cpu.JMP, Target: abi.TextBase}.Append(text)
		prog := &image.Program{Name: "fuzz", Path: "fuzz.s", Text: text, TextBase: abi.TextBase,
			DataBase: abi.TextBase + abi.PageAlign(uint32(len(text))), Data: make([]byte, 64), Entry: abi.TextBase}
		prog.BSSBase = prog.DataBase + abi.PageSize
		prog.BSSSize = 100
		cfg := kernel.DefaultConfig()
		cfg.MaxSteps = 20000
		cfg.Quantum = 13
		cfg.MemSize = 256 << 10
		k, err := kernel.New(cfg, kernel.Options{Stdout: io.Discard, Stderr: io.Discard,
			Load: func(string, []byte) (*image.Program, error) { return prog, nil }})
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := k.Start(prog, 0); err != nil {
				t.Fatal(err)
			}
		}
		k.Run()
		if err := k.Check(); err != nil {
			t.Fatal(err)
		}
	})
}
