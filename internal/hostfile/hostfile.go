// Package hostfile reads the host files vcpu reads on someone else's say-so:
// a file a guest SPAWNs, an .include, a --fs folder. Only regular files are
// read, their size is checked before a byte is read, and nothing here can
// block: a FIFO, a terminal or a device is refused, never opened for a
// blocking read. One package owns these rules so the kernel, the assembler
// and the command line cannot drift apart.
package hostfile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// RefusedError is a file that exists but that vcpu will not read.
type RefusedError struct {
	Path string
	Why  string // which rule refused it, e.g. "not a regular file (a named pipe)"
}

func (e *RefusedError) Error() string { return e.Path + ": " + e.Why }

// ReadRegular reads the regular file at path, of at most limit bytes. It
// follows symbolic links, as opening a file by name does.
func ReadRegular(path string, limit int64) ([]byte, error) {
	return read(nil, path, limit)
}

// ReadIn reads the regular file name inside root, of at most limit bytes.
// The root's rules hold: nothing through ".." or a symbolic link out of it.
func ReadIn(root *os.Root, name string, limit int64) ([]byte, error) {
	return read(root, name, limit)
}

// ReadBounded reads whatever path names, up to limit bytes, refusing a
// longer one: for a file the user named on the command line, which may
// well be a pipe (vcpu run /dev/stdin). It blocks as the pipe does. A
// regular file is refused by its size before a byte is read. For anything
// else, sniff (if not nil) sees the first SniffSize bytes (fewer if the
// stream ends first) before more is read, so that a device that streams
// garbage (/dev/zero, /dev/urandom) is refused at once, not after limit
// bytes of it.
func ReadBounded(path string, limit int64, sniff func(head []byte) error) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Mode().IsRegular() {
		if fi.Size() > limit {
			return nil, tooLarge(path, fi.Size(), limit)
		}
		return readLimited(f, path, limit)
	}
	if sniff == nil {
		return readLimited(f, path, limit)
	}
	head, err := io.ReadAll(io.LimitReader(f, min(SniffSize, limit+1)))
	if err != nil {
		return nil, err
	}
	if err := sniff(head); err != nil {
		return nil, &RefusedError{path, err.Error()}
	}
	rest, err := io.ReadAll(io.LimitReader(f, limit+1-int64(len(head))))
	if err != nil {
		return nil, err
	}
	if b := append(head, rest...); int64(len(b)) <= limit {
		return b, nil
	}
	return nil, tooLarge(path, -1, limit)
}

// SniffSize is how much of a stream ReadBounded's sniff sees.
const SniffSize = 4096

func read(root *os.Root, name string, limit int64) ([]byte, error) {
	// Look first, so that a FIFO or a device is refused without being
	// opened at all (opening a FIFO for reading waits for a writer).
	var fi fs.FileInfo
	var err error
	if root != nil {
		fi, err = root.Stat(name)
	} else {
		fi, err = os.Stat(name)
	}
	if err != nil {
		return nil, err
	}
	if err := check(name, fi, limit); err != nil {
		return nil, err
	}
	// Open without blocking and look again at what was opened: a FIFO
	// swapped in since the first look is refused rather than waited on.
	flag := os.O_RDONLY | syscall.O_NONBLOCK
	var f *os.File
	if root != nil {
		f, err = root.OpenFile(name, flag, 0)
	} else {
		f, err = os.OpenFile(name, flag, 0)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := check(name, fi, limit); err != nil {
		return nil, err
	}
	return readLimited(f, name, limit)
}

// check refuses anything but a regular file of at most limit bytes.
func check(name string, fi fs.FileInfo, limit int64) error {
	if !fi.Mode().IsRegular() {
		return &RefusedError{name, "not a regular file (" + Kind(fi.Mode()) + ")"}
	}
	if fi.Size() > limit {
		return tooLarge(name, fi.Size(), limit)
	}
	return nil
}

// readLimited reads at most limit bytes, and refuses a file that turns out
// longer (it grew, or its size was not known).
func readLimited(f *os.File, name string, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, tooLarge(name, -1, limit)
	}
	return b, nil
}

func tooLarge(name string, size, limit int64) error {
	if size < 0 {
		return &RefusedError{name, fmt.Sprintf("larger than the %s limit", bytesText(limit))}
	}
	return &RefusedError{name, fmt.Sprintf("%d bytes, over the %s limit", size, bytesText(limit))}
}

func bytesText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d-byte", n)
}

// Kind names a file type for a message: "a directory", "a named pipe".
func Kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeDir != 0:
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "not a plain file"
}
