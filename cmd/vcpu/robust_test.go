package main

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vcpu/asm"
)

// Regression tests for the findings of the second robustness review
// (issue 8), through the command line, where a user meets them. Findings
// 3 and 15 (SEM_POST, CONNECT) are golden programs in testdata/robust_*.s;
// the kernel's and the assembler's own tests cover the same findings from
// inside (kernel/spawn_test.go, asm/robust_test.go).

// spawner writes dir/spawner.s: it spawns each path in turn, prints "I R"
// (the path's index, SPAWN's result) and waits for each child it started.
func spawner(t *testing.T, dir string, paths ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(".include \"" + mustAbs(t, "testdata/lib/print.s") + "\"\n.data\n")
	for i, p := range paths {
		fmt.Fprintf(&b, "p%d: .asciz %s\nm%d: .asciz \"%d \"\n", i, asmQuote(p), i, i)
	}
	b.WriteString(".text\nmain:\n")
	for i := range paths {
		fmt.Fprintf(&b, "\tsys2 SPAWN, p%d, 0\n\tmov r6, r0\n\tmov r1, m%d\n\tmov r2, r6\n\tcall say\n", i, i)
		fmt.Fprintf(&b, "\tblt r6, 1, s%d\n\tsys1 WAIT, r6\ns%d:\n", i, i)
	}
	b.WriteString("\tmov r0, 0\n\tret\n")
	path := filepath.Join(dir, "spawner.s")
	write(t, path, b.String())
	return path
}

// asmQuote writes s as an assembler string literal: printable ASCII as it
// is, anything else as \xHH.
func asmQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, "\\x%02x", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// results is the "I R" lines as a map from index to result.
func results(stdout string) map[int]int {
	m := map[int]int{}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var i, r int
		if _, err := fmt.Sscanf(line, "%d %d", &i, &r); err == nil {
			m[i] = r
		}
	}
	return m
}

// highDataVbin is a .vbin whose data segment lies at 0x50000000: a file
// the old reader accepted (segments up to 0x80000000) and the old kernel
// refused with a panic. Written by hand, since vcpu asm refuses to.
func highDataVbin(t *testing.T) []byte {
	t.Helper()
	p, err := asm.Assemble("high.s", []byte(".data\nd: .word 1\n.text\nmain: mov r0, 0\nret\n"), asm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	// The payload (docs/VBIN.md): name, text base, text, data base, data,
	// bss base, ...
	at := 16
	str := func() { at += 4 + int(binary.LittleEndian.Uint32(b[at:])) }
	str()   // name
	at += 4 // text base
	str()   // text
	binary.LittleEndian.PutUint32(b[at:], 0x5000_0000)
	at += 4
	str() // data
	binary.LittleEndian.PutUint32(b[at:], 0x5000_1000)
	binary.LittleEndian.PutUint32(b[12:], crc32.ChecksumIEEE(b[16:]))
	return b
}

// TestFinding01SpawnHighDataSegment: a guest spawning such a .vbin crashed
// the host with "panic: kernel: invariant violated". Now SPAWN is ENOEXEC
// with one line, and running the file directly gives the same reason.
func TestFinding01SpawnHighDataSegment(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "high.vbin"), highDataVbin(t), 0o644)
	out, stderr, st := vcpu(t, "run", spawner(t, dir, "high.vbin"))
	why := "data segment at 0x50000000 runs past 0x40000000"
	if st != 0 || results(out)[0] != -8 || !strings.Contains(stderr, "spawn high.vbin: vbin: "+why) ||
		strings.Count(stderr, "\n") != 1 || strings.Contains(stderr, "panic") {
		t.Errorf("status %d, stdout %q, stderr %q", st, out, stderr)
	}
	_, stderr, st = vcpu(t, "run", filepath.Join(dir, "high.vbin"))
	if st != exitLoad || !strings.Contains(stderr, "vbin: "+why) {
		t.Errorf("run high.vbin: status %d, stderr %q", st, stderr)
	}
}

// TestFinding02LongExpressionChain: `vcpu asm` of one line of 4M terms died
// of a stack overflow (2.8 GB), and a guest spawning the file took the
// machine down. Both now meet a short, clean error.
func TestFinding02LongExpressionChain(t *testing.T) {
	dir := t.TempDir()
	chain := filepath.Join(dir, "chain.s")
	write(t, chain, "main: mov r1, 1"+strings.Repeat("+1", 4_000_000)+"\nret\n")
	_, stderr, st := vcpu(t, "asm", chain)
	if st != exitLoad || !strings.Contains(stderr, "chain.s:1:") || !strings.Contains(stderr, "line too long") || len(stderr) > 2000 {
		t.Errorf("asm: status %d, %d bytes of stderr: %.300q", st, len(stderr), stderr)
	}
	out, stderr, st := vcpu(t, "run", spawner(t, dir, "chain.s"))
	if st != 0 || results(out)[0] != -8 || !strings.Contains(stderr, "spawn chain.s: does not assemble: 1 error, the first at "+chain+":1:") {
		t.Errorf("spawn: status %d, stdout %q, stderr %.300q", st, out, stderr)
	}
}

// TestFinding07SpawnNeverBlocks: SPAWN of a FIFO or of /dev/stdin blocked the
// whole machine on a host read (--max-steps could not end it), and /dev/zero
// was read 64 MiB at a time. Whatever is not a regular file in the program
// folders is refused before it is read, and a file over 64 MiB by its size.
func TestFinding07SpawnNeverBlocks(t *testing.T) {
	dir := t.TempDir()
	if err := mkfifo(filepath.Join(dir, "fifo.s")); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	os.Mkdir(filepath.Join(dir, "folder.s"), 0o755)
	os.Symlink("/dev/zero", filepath.Join(dir, "zero.s"))
	os.Symlink("/dev/stdin", filepath.Join(dir, "stdin.s"))
	big, _ := os.Create(filepath.Join(dir, "big.s"))
	big.Truncate(65 << 20) // sparse: no disk is used
	big.Close()
	paths := []string{"fifo.s", "folder.s", "zero.s", "stdin.s", "big.s", "/dev/stdin", "/dev/zero"}
	out, stderr, st := vcpu(t, "run", "--max-steps", "100000", spawner(t, dir, paths...))
	got := results(out)
	for i, p := range paths {
		if got[i] != -8 {
			t.Errorf("spawn %s: %d, want -8 (ENOEXEC)", p, got[i])
		}
	}
	for _, want := range []string{
		"spawn fifo.s: not a regular file",
		"spawn folder.s: not a regular file",
		"spawn zero.s: a symbolic link leads out of the folders of the programs vcpu was started with",
		"spawn stdin.s: a symbolic link leads out",
		"spawn big.s: 68157440 bytes, over the 64 MiB a program file may hold",
		"spawn /dev/stdin: an absolute path",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if st != 0 || strings.Count(stderr, "\n") != len(paths) {
		t.Errorf("status %d; want one line per refusal:\n%s", st, stderr)
	}
}

// TestFinding08SpawnShowsNoFileContents: a guest spawning /etc/passwd got
// its lines printed inside the assembler's error echo. A spawned program
// that does not assemble now gets one line that names where, never what;
// and only files inside the program folders are read at all.
func TestFinding08SpawnShowsNoFileContents(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "progs")
	os.Mkdir(dir, 0o755)
	write(t, filepath.Join(dir, "secret.txt"), "SECRET-LINE-1 hunter2\nroot:x:0:0:SECRET-LINE-2\n")
	write(t, filepath.Join(root, "outside.s"), "main: mov r0, 0\nret\n")
	write(t, filepath.Join(dir, "child.s"), "main: mov r0, 0\nret\n")
	os.Symlink("../outside.s", filepath.Join(dir, "out.s"))
	os.Symlink("child.s", filepath.Join(dir, "alias.s")) // a link that stays inside is followed
	paths := []string{"/etc/passwd", "secret.txt", "../outside.s", "out.s", "missing.s", "alias.s", "sub/../child.s"}
	out, stderr, st := vcpu(t, "run", spawner(t, dir, paths...))
	got := results(out)
	want := []int{-8, -8, -8, -8, -2, 2, 3}
	for i, p := range paths {
		if got[i] != want[i] {
			t.Errorf("spawn %s: %d, want %d", p, got[i], want[i])
		}
	}
	for _, line := range []string{
		"spawn /etc/passwd: an absolute path: SPAWN takes a path relative to the program's folder",
		"spawn secret.txt: does not assemble: 2 errors, the first at " + filepath.Join(dir, "secret.txt") + ":1:1",
		"spawn ../outside.s: outside the folders of the programs vcpu was started with",
		"spawn out.s: a symbolic link leads out of the folders of the programs vcpu was started with",
	} {
		if !strings.Contains(stderr, line) {
			t.Errorf("stderr lacks %q", line)
		}
	}
	if st != 0 || strings.Contains(stderr, "SECRET") || strings.Contains(stderr, "root:") || strings.Contains(stderr, "missing") ||
		strings.Count(stderr, "\n") != 4 {
		t.Errorf("status %d; stderr shows file contents or more than one line per refusal:\n%s", st, stderr)
	}
}

// copyProgram writes a guest program that writes "data" to each named file
// of the machine's file system.
func writerProgram(t *testing.T, dir string, names ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(".include \"" + mustAbs(t, "testdata/lib/print.s") + "\"\n.data\nmsg: .ascii \"data\"\n")
	for i, n := range names {
		fmt.Fprintf(&b, "n%d: .asciz %s\n", i, asmQuote(n))
	}
	b.WriteString(".text\nmain:\n")
	for i := range names {
		fmt.Fprintf(&b, "\tsys2 OPEN, n%d, O_WRITE\n\tmov r6, r0\n\tsys3 WRITE, r6, msg, 4\n\tsys1 CLOSE, r6\n", i)
	}
	b.WriteString("\tmov r0, 0\n\tret\n")
	path := filepath.Join(dir, "writer.s")
	write(t, path, b.String())
	return path
}

// TestFinding09FSSaveNeverFollowsLinks: --fs-save followed symbolic links
// in the folder, overwriting a file outside it and creating another through
// a dangling link; and a 3 GB file in --fs was read whole before ENOSPC.
func TestFinding09FSSaveNeverFollowsLinks(t *testing.T) {
	root := t.TempDir()
	fsdir := filepath.Join(root, "fs")
	os.Mkdir(fsdir, 0o755)
	victim := filepath.Join(root, "victim.txt")
	write(t, victim, "precious\n")
	os.Symlink(victim, filepath.Join(fsdir, "link.txt"))
	os.Symlink(filepath.Join(root, "created.txt"), filepath.Join(fsdir, "dangling.txt"))
	prog := writerProgram(t, root, "link.txt", "dangling.txt", "plain.txt")
	_, stderr, st := vcpu(t, "run", "--fs", fsdir, "--fs-save", prog)
	if b, _ := os.ReadFile(victim); string(b) != "precious\n" {
		t.Errorf("the file outside the folder was overwritten: %q", b)
	}
	if _, err := os.Stat(filepath.Join(root, "created.txt")); err == nil {
		t.Error("a file was created outside the folder through a dangling link")
	}
	if b, _ := os.ReadFile(filepath.Join(fsdir, "plain.txt")); string(b) != "data" {
		t.Errorf("plain.txt = %q, want it written", b)
	}
	for _, name := range []string{"link.txt", "dangling.txt"} {
		if fi, err := os.Lstat(filepath.Join(fsdir, name)); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer the link it was", name)
		}
		if !strings.Contains(stderr, "vcpu: --fs-save: "+name+": not written: in the folder it is a symbolic link") {
			t.Errorf("stderr does not name %s: %q", name, stderr)
		}
	}
	if st != exitLoad {
		t.Errorf("status %d, want %d", st, exitLoad)
	}
	entries, _ := os.ReadDir(fsdir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".vcpu-save") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}

	// A file too large for the machine is refused by its size, unread.
	big, _ := os.Create(filepath.Join(fsdir, "huge.bin"))
	big.Truncate(3 << 30) // sparse
	big.Close()
	_, stderr, st = vcpu(t, "run", "--fs", fsdir, prog)
	if st != exitUsage || !strings.Contains(stderr, "huge.bin: 3221225472 bytes, more than the") {
		t.Errorf("a 3 GB file: status %d, stderr %q", st, stderr)
	}
}

// TestFinding12FSSaveWritesEveryFile: --fs-save stopped at the first file it
// could not write; --fs-save without --fs was silently ignored; and
// --stats-json to a path that cannot be written failed only after the run.
func TestFinding12FSSaveWritesEveryFile(t *testing.T) {
	root := t.TempDir()
	fsdir := filepath.Join(root, "fs")
	os.Mkdir(fsdir, 0o755)
	os.Mkdir(filepath.Join(fsdir, "a_dir"), 0o755)
	prog := writerProgram(t, root, "a_dir", "b.txt", "c.txt")
	_, stderr, st := vcpu(t, "run", "--fs", fsdir, "--fs-save", prog)
	for _, name := range []string{"b.txt", "c.txt"} {
		if b, _ := os.ReadFile(filepath.Join(fsdir, name)); string(b) != "data" {
			t.Errorf("%s = %q: a later file was not written", name, b)
		}
	}
	if st != exitLoad || !strings.Contains(stderr, "vcpu: --fs-save: a_dir: not written: in the folder it is a directory") {
		t.Errorf("status %d, stderr %q", st, stderr)
	}

	out, stderr, st := vcpu(t, "run", "--fs-save", prog)
	if st != exitUsage || !strings.Contains(stderr, "--fs-save needs --fs DIR") || out != "" {
		t.Errorf("--fs-save alone: status %d, stderr %q", st, stderr)
	}

	hello := filepath.Join(root, "hello.s")
	write(t, hello, ".data\nm: .ascii \"ran\\n\"\n.text\nmain: mov r0, SYS_WRITE\nmov r1, STDOUT\nmov r2, m\nmov r3, 4\nsyscall\nmov r0, 0\nret\n")
	for _, flag := range []string{"--stats-json", "--trace"} {
		out, stderr, st = vcpu(t, "run", flag, filepath.Join(root, "no", "such", "dir", "x.json"), hello)
		if st != exitUsage || out != "" || !strings.Contains(stderr, flag+": open ") {
			t.Errorf("%s to a bad path: status %d, stdout %q (the run must not start), stderr %q", flag, st, out, stderr)
		}
	}
}

// TestFinding13GuestNamesEscaped: control characters in names a guest
// chose (a SPAWN path, a program's file name) reached the terminal raw.
func TestFinding13GuestNamesEscaped(t *testing.T) {
	dir := t.TempDir()
	evil := "e\x1b]0;pwned\x07.s"
	write(t, filepath.Join(dir, evil), "main: mov r1, 0\nst r1, [r1]\nret\n") // faults: its name is in the kill line
	out, stderr, _ := vcpu(t, "run", spawner(t, dir, "/\x1b[2J", evil))
	if got := results(out); got[0] != -8 || got[1] != 2 {
		t.Errorf("results %v", got)
	}
	if strings.ContainsAny(stderr, "\x1b\x07") {
		t.Fatalf("raw control characters on stderr: %q", stderr)
	}
	for _, want := range []string{`spawn /\x1b[2J: an absolute path`, `pid 2 (e\x1b]0;pwned\x07) tid 2 killed: segmentation fault`} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// TestFinding15AsmRefusesOversizedVbin: `vcpu asm` of a huge label table
// wrote a 69 MB .vbin that `run` then refused (program files are limited to
// 64 MiB). asm now refuses to write it, with the reason, and writes nothing.
func TestFinding15AsmRefusesOversizedVbin(t *testing.T) {
	if testing.Short() {
		t.Skip("assembles 64 MiB of source")
	}
	dir := t.TempDir()
	src, bin := filepath.Join(dir, "labels.s"), filepath.Join(dir, "labels.vbin")
	var b strings.Builder
	for i := range 261_000 { // 255-byte names: 67 MB of source, 69 MB of .vbin
		fmt.Fprintf(&b, "L%07d%s:\n", i, strings.Repeat("x", 247))
	}
	write(t, src, b.String())
	_, stderr, st := vcpu(t, "asm", src, "-o", bin)
	if st != exitLoad || !strings.Contains(stderr, "bytes would be over the 64 MiB a program file may hold") {
		t.Errorf("status %d, stderr %q", st, stderr)
	}
	if _, err := os.Stat(bin); err == nil {
		t.Error("the .vbin was written")
	}
}
