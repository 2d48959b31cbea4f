package kernel

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"vcpu/abi"
	"vcpu/cpu"
	"vcpu/image"
	"vcpu/internal/hostfile"
	"vcpu/internal/termsafe"
)

// This file is SPAWN: which host files a guest may start as programs, and
// the images the machine holds for its processes.
//
// A guest names a file; the kernel reads it, so the rules are the kernel's:
// only regular files inside the folders of the programs the machine was
// started with (Start), reached by a relative path with nothing leading out
// of those folders, neither ".." nor a symbolic link; never a FIFO or a
// device, whose read could block the whole machine; never a file over
// image.MaxFileSize. A path that names no file is ENOENT; anything else
// refused, and a file that does not load, is ENOEXEC with one line on
// stderr that says why and shows nothing of the file.

// maxPath bounds the path a guest passes to SPAWN or OPEN.
const maxPath = 256

// loaded is a program image the machine holds, shared by every process
// record that runs it (forks included), with its code decoded once, by the
// first process that gets the frames to run it. It is
// counted, and dropped with the last record, so a guest that spawns in a
// loop holds one image, not one per spawn.
type loaded struct {
	prog *image.Program
	code *cpu.Code
	refs int // process records (k.procs) running it

	// For an image SPAWN read: the file, to notice a change.
	path string
	file fs.FileInfo
}

// image returns the machine's image for prog, making it on first use.
func (k *Kernel) image(prog *image.Program) *loaded {
	if l, ok := k.images[prog]; ok {
		return l
	}
	l := &loaded{prog: prog} // its code is decoded when a process first maps it
	k.images[prog] = l
	return l
}

// releaseImage drops p's hold on its image, when p's record leaves the table.
func (k *Kernel) releaseImage(p *Process) {
	l := p.img
	l.refs--
	k.assert(l.refs >= 0, "image released more often than held")
	k.dropUnused(l)
}

// spawnCache remembers what SPAWN read, by absolute path, so that a file
// spawned again unchanged is neither read nor assembled again: a loop that
// spawns one program costs one load. So are the last few images no process
// runs any more (a SPAWN that failed for want of memory, a program whose
// last record was dropped), and the last few files that did not load, so
// that a loop spawning a huge file, broken or too big for memory, costs one
// assembly, not one per attempt.
type spawnCache struct {
	roots  []string           // absolute folders SPAWN may read from
	ok     map[string]*loaded // images read from these paths: in use, or idle
	idle   []*loaded          // the last maxIdle images no process record runs, oldest first
	failed []failedLoad       // the last maxFailed files that did not load, oldest first
}

const maxIdle = 8

type failedLoad struct {
	path string
	file fs.FileInfo
	why  string
}

const maxFailed = 8

// sameFile reports whether fi is still the file a cache entry was made from.
func sameFile(a, b fs.FileInfo) bool {
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// addSpawnRoot lets SPAWN read programs from the folder of path.
func (k *Kernel) addSpawnRoot(path string) {
	if path == "" {
		return
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return
	}
	for _, r := range k.spawns.roots {
		if r == dir {
			return
		}
	}
	k.spawns.roots = append(k.spawns.roots, dir)
}

// noLoader is the loader of a kernel given none.
func noLoader(string, []byte) (*image.Program, error) {
	return nil, errors.New("this machine has no program loader")
}

// refuse is SPAWN's ENOEXEC with the one line that says why. A refusal
// is a sysError made whether or not anyone traces: its reason also goes
// to stderr.
func refuse(format string, args ...any) *sysError {
	return &sysError{abi.ENOEXEC, fmt.Sprintf(format, args...)}
}

func sysSpawn(k *Kernel, t *Thread, a args) (uint32, error) {
	name, err := t.Proc.AS.ReadString(k.mem, a[0], maxPath)
	if err != nil {
		return 0, abi.EFAULT
	}
	if name == "" {
		return 0, abi.ENOENT
	}
	// At the process limit nothing is read: a spawn bomb costs the host
	// no file system work.
	if k.live >= k.cfg.MaxProcs {
		return 0, abi.EAGAIN
	}
	img, r := k.spawnImage(t.Proc, name)
	if r != nil {
		if r.errno == abi.ENOEXEC {
			k.printf("vcpu: %s: spawn %s: %s\n", t.Proc, termsafe.String(name), termsafe.String(r.why))
		}
		return 0, k.fail(r.errno, r.why)
	}
	p, err := k.newProcess(img, a[1], t.Proc)
	if err != nil {
		k.dropUnused(img)
		return 0, err
	}
	return uint32(p.PID), nil
}

// dropUnused lets go of an image no process record runs (any more, or
// ever). One SPAWN read stays in the cache as idle, the last maxIdle of
// them, in case it is spawned again.
func (k *Kernel) dropUnused(l *loaded) {
	if l.refs > 0 {
		return
	}
	delete(k.images, l.prog)
	if l.path == "" || k.spawns.ok[l.path] != l {
		return
	}
	c := &k.spawns
	if len(c.idle) == maxIdle {
		old := c.idle[0]
		c.idle = c.idle[1:]
		if c.ok[old.path] == old {
			delete(c.ok, old.path)
		}
	}
	c.idle = append(c.idle, l)
}

// use makes l an image of the machine again, if it was idle.
func (k *Kernel) use(l *loaded) *loaded {
	k.unidle(l)
	k.images[l.prog] = l
	return l
}

// unidle takes l off the idle list, if it is on it.
func (k *Kernel) unidle(l *loaded) {
	for i, x := range k.spawns.idle {
		if x == l {
			k.spawns.idle = append(k.spawns.idle[:i:i], k.spawns.idle[i+1:]...)
			return
		}
	}
}

// spawnImage finds, checks, reads and loads the program caller names, or
// says why not.
func (k *Kernel) spawnImage(caller *Process, name string) (*loaded, *sysError) {
	if filepath.IsAbs(name) {
		return nil, refuse("an absolute path: SPAWN takes a path relative to the program's folder")
	}
	// Shown in messages and kept as the child's Program.Path: the path as
	// the caller's own program path makes it.
	path := filepath.Join(filepath.Dir(caller.Program.Path), name)
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, refuse("the path cannot be resolved: %v", err)
	}
	root, rel := k.spawnRoot(abs)
	if root == "" {
		return nil, refuse("outside the folders of the programs vcpu was started with")
	}
	dir, err := os.OpenRoot(root)
	if err != nil {
		return nil, k.openError(err, abs, root)
	}
	defer dir.Close()
	fi, err := dir.Stat(rel)
	if err != nil {
		return nil, k.openError(err, abs, root)
	}
	if !fi.Mode().IsRegular() {
		return nil, refuse("not a regular file")
	}
	if fi.Size() > image.MaxFileSize {
		return nil, refuse("%d bytes, over the %d MiB a program file may hold", fi.Size(), image.MaxFileSize>>20)
	}
	if l := k.spawns.ok[abs]; l != nil && sameFile(l.file, fi) {
		return k.use(l), nil
	}
	for _, f := range k.spawns.failed {
		if f.path == abs && sameFile(f.file, fi) {
			return nil, refuse("%s", f.why)
		}
	}
	src, err := hostfile.ReadIn(dir, rel, image.MaxFileSize)
	if err != nil {
		return nil, k.openError(err, abs, root)
	}
	prog, err := k.opts.Load(path, src)
	switch {
	case err != nil:
	case prog == nil:
		err = errors.New("the loader made no program of it")
	default:
		if err = prog.Validate(); err != nil {
			err = fmt.Errorf("not a program this machine can run: %v", err)
		}
	}
	if err != nil {
		why := loadSummary(err)
		if len(k.spawns.failed) == maxFailed {
			k.spawns.failed = k.spawns.failed[1:]
		}
		k.spawns.failed = append(k.spawns.failed, failedLoad{abs, fi, why})
		return nil, refuse("%s", why)
	}
	// The image is the machine's own: a shallow copy (images are never
	// modified), so that a loader that hands one Program out for two files
	// still gives each its own image, counted and dropped on its own.
	cp := *prog
	l := k.image(&cp)
	l.path, l.file = abs, fi
	if k.spawns.ok == nil {
		k.spawns.ok = map[string]*loaded{}
	}
	if old := k.spawns.ok[abs]; old != nil {
		k.unidle(old) // the file changed: an idle old image goes (one in use stays with its processes)
	}
	k.spawns.ok[abs] = l
	return l, nil
}

// spawnRoot finds the root folder abs lies in, lexically, and abs relative
// to it. The root's own checks (os.Root) then refuse a symbolic link out.
func (k *Kernel) spawnRoot(abs string) (root, rel string) {
	for _, r := range k.spawns.roots {
		if rel, ok := within(r, abs); ok {
			return r, rel
		}
	}
	return "", ""
}

// within is path relative to dir, if it lies inside dir (lexically).
func within(dir, path string) (string, bool) {
	rel, err := filepath.Rel(dir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return rel, true
}

// openError turns a failure to find or open a file into SPAWN's answer.
func (k *Kernel) openError(err error, abs, root string) *sysError {
	if errors.Is(err, fs.ErrNotExist) {
		return &sysError{abi.ENOENT, "no such file"}
	}
	var r *hostfile.RefusedError
	if errors.As(err, &r) {
		return refuse("%s", r.Why)
	}
	if real, e := filepath.EvalSymlinks(abs); e == nil {
		if realRoot, e := filepath.EvalSymlinks(root); e == nil {
			if _, ok := within(realRoot, real); !ok {
				return refuse("a symbolic link leads out of the folders of the programs vcpu was started with")
			}
		}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return refuse("cannot be read: %v", err)
}

// loadSummary is one line that says why a program did not load and shows
// nothing of the file: an error's Summary (the assembler's ErrorList says
// how many errors and where the first is, without the echoed line), or
// else the first line of its message.
func loadSummary(err error) string {
	var s interface{ Summary() string }
	if errors.As(err, &s) {
		return s.Summary()
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return msg
}
