package kernel_test

import (
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"vcpu/abi"
	"vcpu/cpu"
	"vcpu/image"
	"vcpu/kernel"
)

// FuzzSyscalls runs guest programs made of arbitrary syscalls with arbitrary
// arguments, two processes of them, with fork, thread creation and spawn in
// reach: whatever they ask, the kernel must not panic or hang, and its
// invariants (frames mapped once, threads where their state says, images
// counted once per process record) must hold after.
//
// SPAWN reaches real files (child0.s … child3.s in a folder of the
// fuzzer's), and the loader turns each into a hostile image built from the
// second input: any bases, sizes and entry point, valid or not, or a load
// error. So the kernel's refusals (ENOEXEC for an image that fails
// image.Validate, ENOMEM for one too big) and its image counting are
// fuzzed along with everything else.
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
	img := func(w ...uint32) []byte {
		var b []byte
		for _, x := range w {
			b = binary.LittleEndian.AppendUint32(b, x)
		}
		return b
	}
	good := img(abi.TextBase, 8, abi.TextBase+abi.PageSize, 16, abi.TextBase+2*abi.PageSize, 32, abi.TextBase)
	f.Add(seed([5]uint32{uint32(abi.SysFork)}, [5]uint32{uint32(abi.SysPipe), 0x2000}, [5]uint32{uint32(abi.SysWrite), 1, 0x1000, 8}), good)
	f.Add(seed([5]uint32{uint32(abi.SysThreadCreate), 0x1000, 7}, [5]uint32{uint32(abi.SysLock), 0x2000}, [5]uint32{uint32(abi.SysThreadJoin), 2}), good)
	f.Add(seed([5]uint32{uint32(abi.SysSbrk), 8192}, [5]uint32{uint32(abi.SysSbrk), 0xFFFFF000}, [5]uint32{uint32(abi.SysSleep), 100}), good)
	f.Add(seed([5]uint32{uint32(abi.SysListen), 7}, [5]uint32{uint32(abi.SysConnect), 7}, [5]uint32{uint32(abi.SysAccept), 3}), good)
	f.Add(seed([5]uint32{uint32(abi.SysSpawn), 0, 5}, [5]uint32{uint32(abi.SysWait), 0xFFFFFFFF}, [5]uint32{uint32(abi.SysSpawn), 1, 5}), good)
	// The finding-1 image: a data segment at 0x50000000.
	f.Add(seed([5]uint32{uint32(abi.SysSpawn), 0, 5}, [5]uint32{uint32(abi.SysSpawn), 2, 5}), img(abi.TextBase, 8, 0x5000_0000, 16, 0x5000_1000, 0, abi.TextBase))
	f.Add(seed([5]uint32{uint32(abi.SysSpawn), 3, 0}), img(abi.TextBase, 1<<24, abi.TextBase+1<<24, 0, abi.TextBase+1<<24, 1<<24, abi.TextBase))

	dir := f.TempDir()
	for i := range 4 {
		if err := os.WriteFile(filepath.Join(dir, "child"+string(rune('0'+i))+".s"), []byte("; any bytes: the fuzzer's loader ignores them\n"), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, calls, imgs []byte) {
		var text []byte
		for len(calls) >= 20 && len(text) < 4000 {
			num := binary.LittleEndian.Uint32(calls) % (uint32(abi.NumSyscalls) + 2)
			for r := range 5 {
				v := binary.LittleEndian.Uint32(calls[4*r:])
				switch {
				case r == 0:
					v = num
				case r == 1 && abi.Sysno(num) == abi.SysSpawn && v < 8:
					v = spawnPaths + 8*v // one of the paths in the data segment
				}
				text = cpu.Inst{Op: cpu.MOV, Mode: cpu.ModeImm, A: uint8(r), Imm: v}.Append(text)
			}
			text = cpu.Inst{Op: cpu.SYSCALL}.Append(text)
			calls = calls[20:]
		}
		text = cpu.Inst{Op: cpu.JMP, Target: abi.TextBase}.Append(text)
		data := make([]byte, 64)
		for i := range 8 { // "child0.s" … "child3.s", then four that do not exist
			copy(data[8*i:], "child"+string(rune('0'+i))+".s")
		}
		prog := &image.Program{Name: "fuzz", Path: filepath.Join(dir, "fuzz.s"), Text: text, TextBase: abi.TextBase,
			DataBase: abi.TextBase + abi.PageAlign(uint32(len(text))), Data: data, Entry: abi.TextBase}
		prog.BSSBase = prog.DataBase + abi.PageSize
		prog.BSSSize = 100
		cfg := kernel.DefaultConfig()
		cfg.MaxSteps = 20000
		cfg.Quantum = 13
		cfg.MemSize = 256 << 10
		k, err := kernel.New(cfg, kernel.Options{Stdout: io.Discard, Stderr: io.Discard,
			Load: func(path string, _ []byte) (*image.Program, error) { return hostileImage(path, imgs, prog) }})
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

// spawnPaths is where FuzzSyscalls's programs keep the paths SPAWN names:
// the start of their data segment, the page after their text.
const spawnPaths = abi.TextBase + abi.PageSize

// hostileImage is the image the fuzzer's loader makes of child<N>.s: seven
// words of imgs from 28*N on give its text base and length, data base and
// length, bss base and size, and entry point, whatever they say; a text
// length of 0xFFFFFFFF makes the load fail instead. Its code is the
// caller's own program, repeated or cut to that length, so a valid image
// runs syscalls too.
func hostileImage(path string, imgs []byte, caller *image.Program) (*image.Program, error) {
	n := int(path[len(path)-3] - '0')
	w := func(i int) uint32 {
		at := 28*n + 4*i
		if at+4 > len(imgs) {
			return 0
		}
		return binary.LittleEndian.Uint32(imgs[at:])
	}
	if w(1) == 0xFFFFFFFF {
		return nil, errors.New("the loader refuses this file")
	}
	size := func(v uint32) int {
		if v>>28 == 0xF { // now and then up to past the segment limit, never gigabytes
			return int(v % (image.MaxSegment + 4096))
		}
		return int(v % (1 << 16))
	}
	p := &image.Program{Name: "child", Path: path,
		TextBase: w(0), DataBase: w(2), BSSBase: w(4), BSSSize: w(5), Entry: w(6)}
	p.Text = make([]byte, size(w(1)))
	for i := 0; i < len(p.Text); i += len(caller.Text) {
		copy(p.Text[i:], caller.Text)
	}
	p.Data = make([]byte, size(w(3)))
	copy(p.Data, caller.Data)
	return p, nil
}
