package kernel_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vcpu/abi"
	"vcpu/asm"
	"vcpu/image"
	"vcpu/kernel"
)

// spawnMachine starts parent (assembly source) from a file in dir, with a
// loader that counts its calls, and runs it.
func spawnMachine(t *testing.T, dir, parent string, cfg kernel.Config) (*kernel.Kernel, *bytes.Buffer, *int) {
	t.Helper()
	path := filepath.Join(dir, "parent.s")
	if err := os.WriteFile(path, []byte(parent), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := asm.LoadFile(path, asm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	loads := 0
	k, err := kernel.New(cfg, kernel.Options{Stdout: &out, Stderr: &out,
		Load: func(path string, src []byte) (*image.Program, error) {
			loads++
			return asm.LoadWith(path, src, asm.Options{})
		}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Start(p, 0); err != nil {
		t.Fatal(err)
	}
	return k, &out, &loads
}

// spawnLoop spawns child.s and waits for it, n times, then exits with 0,
// or with the first SPAWN's error.
func spawnLoop(n int) string {
	return spawnProgram(n, "blt r0, 1, done\nmov r1, r0\nmov r0, SYS_WAIT\nsyscall\nmov r0, 0\n")
}

// spawnTries spawns child.s n times whatever SPAWN answers, and exits with
// the last answer.
func spawnTries(n int) string { return spawnProgram(n, "") }

// spawnProgram spawns child.s n times, each time followed by then.
func spawnProgram(n int, then string) string {
	return `
        .data
child:  .asciz "child.s"
        .text
main:   mov  r6, ` + itoa(n) + `
loop:   mov  r0, SYS_SPAWN
        mov  r1, child
        mov  r2, 0
        syscall
` + then + `
        dec  r6
        bgt  r6, 0, loop
done:   ret
`
}

func itoa(n int) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		n /= 10
		if n == 0 {
			return s
		}
	}
}

// TestFinding04SpawnLoopHoldsOneImage: a guest that spawned and waited in a
// loop grew the predecode cache by one entry per spawn (255 MB at 200k
// spawns). The machine now keeps one image per program file while any
// process record runs it: the file is read and assembled once, and the
// images held stay bounded however long the loop runs.
func TestFinding04SpawnLoopHoldsOneImage(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "child.s"), []byte("main: mov r0, 7\nret\n"), 0o644)
	for _, n := range []int{10, 2000} {
		k, out, loads := spawnMachine(t, dir, spawnLoop(n), kernel.DefaultConfig())
		k.Run()
		if k.ExitStatus() != 0 || *loads != 1 || k.ImagesHeld() != 2 {
			t.Errorf("%d spawns: status %d, %d loads, %d images held (want 0, 1, 2)\n%s", n, k.ExitStatus(), *loads, k.ImagesHeld(), out)
		}
		if err := k.Check(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSpawnDropsImagesWithTheLastRecord: images of programs no process
// record runs any more are dropped, so spawning ever new programs holds at
// most one image per record the table keeps.
func TestSpawnDropsImagesWithTheLastRecord(t *testing.T) {
	dir := t.TempDir()
	const files = 400
	var src strings.Builder
	src.WriteString(".data\n")
	for i := range files {
		name := "c" + itoa(i) + ".s"
		os.WriteFile(filepath.Join(dir, name), []byte("main: mov r0, "+itoa(i%100)+"\nret\n"), 0o644)
		src.WriteString("p" + itoa(i) + ": .asciz \"" + name + "\"\n")
	}
	src.WriteString(".text\nmain:\n")
	for i := range files {
		src.WriteString("mov r0, SYS_SPAWN\nmov r1, p" + itoa(i) + "\nsyscall\nmov r1, r0\nmov r0, SYS_WAIT\nsyscall\n")
	}
	src.WriteString("mov r0, 0\nret\n")
	k, out, loads := spawnMachine(t, dir, src.String(), kernel.DefaultConfig())
	k.Run()
	if *loads != files || k.ExitStatus() != 0 {
		t.Fatalf("%d loads, status %d\n%s", *loads, k.ExitStatus(), out)
	}
	// One image per record the table keeps: the 256 most recent ended
	// processes (kernel keepReaped), pid 1 among them.
	if held, recs := k.ImagesHeld(), len(k.Processes()); held != recs || held > 257 {
		t.Errorf("%d images held after %d different programs, for %d process records", held, files, recs)
	}
	if err := k.Check(); err != nil {
		t.Fatal(err)
	}
}

// TestFinding14FailedForkAllocatesNothing: a fork bomb's failing forks each
// built a page table and tore it down (about 5-10 µs of host time each). A
// fork that cannot get its frames now fails before allocating anything;
// BenchmarkFailedFork measures the time.
func TestFinding14FailedForkAllocatesNothing(t *testing.T) {
	k := forkBomb(t)
	live := len(k.Processes())
	allocs := testing.AllocsPerRun(100, func() { k.Advance(3000) }) // a thousand failing forks
	if allocs != 0 || len(k.Processes()) != live {
		t.Errorf("%v allocations per thousand failing forks (want 0); %d processes, were %d", allocs, len(k.Processes()), live)
	}
	if err := k.Check(); err != nil {
		t.Fatal(err)
	}
}

// TestFinding01SpawnHighDataSegment: an image whose data segment lies at
// 0x50000000 passed the .vbin reader's check and failed the kernel's,
// which then treated the error as its own bug and panicked. There is one
// check now; SPAWN answers ENOEXEC with one line.
func TestFinding01SpawnHighDataSegment(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "high.vbin"), []byte("any bytes"), 0o644)
	parent := `
        .data
child:  .asciz "high.vbin"
        .text
main:   mov  r0, SYS_SPAWN
        mov  r1, child
        syscall
        ret
`
	path := filepath.Join(dir, "parent.s")
	os.WriteFile(path, []byte(parent), 0o644)
	p, err := asm.LoadFile(path, asm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	high := &image.Program{Name: "high", Text: make([]byte, 8), TextBase: abi.TextBase, DataBase: 0x5000_0000,
		Data: make([]byte, 16), BSSBase: 0x5000_1000, Entry: abi.TextBase}
	k, _ := kernel.New(kernel.DefaultConfig(), kernel.Options{Stdout: &out, Stderr: &out,
		Load: func(string, []byte) (*image.Program, error) { return high, nil }})
	k.Start(p, 0)
	k.Run()
	if got := k.ExitStatus(); got != int(uint8(abi.ENOEXEC.Ret())) {
		t.Errorf("exit status %d, want SPAWN's -ENOEXEC (%d)", got, uint8(abi.ENOEXEC.Ret()))
	}
	want := "spawn high.vbin: not a program this machine can run: data segment at 0x50000000 runs past 0x40000000"
	if !strings.Contains(out.String(), want) || strings.Count(out.String(), "\n") != 1 {
		t.Errorf("stderr %q, want one line with %q", out.String(), want)
	}
}

// TestSpawnFailuresLoadOnce: a loop spawning a program that cannot run (too
// big for memory: ENOMEM; or broken: ENOEXEC) reads and assembles the file
// once, not once per attempt, so a huge file costs the host one load.
func TestSpawnFailuresLoadOnce(t *testing.T) {
	for _, tc := range []struct {
		name, child string
		errno       abi.Errno
	}{
		{"too big", ".bss\nbuf: .space 0x100000\n.text\nmain: ret\n", abi.ENOMEM},
		{"broken", "main: movv r0, 1\n", abi.ENOEXEC},
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "child.s"), []byte(tc.child), 0o644)
		k, out, loads := spawnMachine(t, dir, spawnTries(100), kernel.DefaultConfig())
		k.Run()
		if got := k.ExitStatus(); got != int(uint8(tc.errno.Ret())) || *loads != 1 {
			t.Errorf("%s: status %d (want %d), %d loads (want 1)\n%s", tc.name, got, uint8(tc.errno.Ret()), *loads, out)
		}
		if err := k.Check(); err != nil {
			t.Fatal(err)
		}
	}
}
