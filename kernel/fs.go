package kernel

import (
	"sort"
	"strings"

	"vcpu/abi"
)

// fileSystem is the run's in-memory file system: flat names, shared by every
// process, bounded so that no guest can exhaust the host: a file costs its
// name's bytes and its contents against the size limit, and there are at
// most maxFiles of them. A guest making empty files with new names is
// stopped as surely as one writing a huge file.
type fileSystem struct {
	files    map[string]*memFile
	used     int // bytes of names and contents
	limit    int
	maxFiles int
}

type memFile struct {
	name string
	data []byte
}

func newFileSystem(limit, maxFiles int) *fileSystem {
	return &fileSystem{files: map[string]*memFile{}, limit: limit, maxFiles: maxFiles}
}

// create makes an empty file, if the limits leave room for one more.
func (fs *fileSystem) create(name string) (*memFile, error) {
	if len(fs.files) >= fs.maxFiles || fs.used+len(name) > fs.limit {
		return nil, abi.ENOSPC
	}
	mf := &memFile{name: name}
	fs.files[name] = mf
	fs.used += len(name)
	return mf, nil
}

// FileInfo is a file of the in-memory file system, for tests and the window.
type FileInfo struct {
	Name string
	Size int
}

// Files lists the in-memory file system, by name.
func (k *Kernel) Files() []FileInfo {
	var out []FileInfo
	for _, f := range k.fs.files {
		out = append(out, FileInfo{f.name, len(f.data)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ReadFile returns a copy of a file's contents, for tests and --fs.
func (k *Kernel) ReadFile(name string) ([]byte, bool) {
	f, ok := k.fs.files[name]
	if !ok {
		return nil, false
	}
	return append([]byte(nil), f.data...), true
}

// WriteFile creates or replaces a file before or between runs (--fs preload).
func (k *Kernel) WriteFile(name string, data []byte) error {
	if !validName(name) {
		return abi.EINVAL
	}
	fs := k.fs
	f, ok := fs.files[name]
	old, need := 0, len(data)
	if ok {
		old = len(f.data)
	} else {
		need += len(name)
	}
	if !ok && len(fs.files) >= fs.maxFiles || fs.used-old+need > fs.limit {
		return abi.ENOSPC
	}
	if !ok {
		f, _ = fs.create(name)
	}
	fs.used += len(data) - old
	f.data = append([]byte(nil), data...)
	return nil
}

func validName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\x00")
}

// regular is a File's view of a memFile: the offset lives in the File, so
// descriptors shared by fork share it, as on Unix.
type regular struct {
	fs     *fileSystem
	f      *memFile
	append bool
}

func (r *regular) read(k *Kernel, t *Thread, f *File) (uint32, error) {
	return k.readInto(t, func(b []byte) int {
		if f.Offset >= len(r.f.data) {
			return 0
		}
		got := copy(b, r.f.data[f.Offset:])
		f.Offset += got
		return got
	})
}

func (r *regular) write(k *Kernel, t *Thread, f *File) (uint32, error) {
	return k.writeFrom(t, func(b []byte) (int, error) { return r.put(f, b) })
}

// put writes b at the file's offset (its end with O_APPEND), as much as the
// file system's limit leaves room for.
func (r *regular) put(f *File, b []byte) (int, error) {
	if r.append {
		f.Offset = len(r.f.data)
	}
	end := f.Offset + len(b)
	if grow := end - len(r.f.data); grow > 0 {
		if room := r.fs.limit - r.fs.used; grow > room {
			if room <= 0 {
				return 0, abi.ENOSPC
			}
			b = b[:len(b)-(grow-room)]
			end, grow = f.Offset+len(b), room
		}
		r.fs.used += grow
		r.f.data = append(r.f.data, make([]byte, grow)...)
	}
	copy(r.f.data[f.Offset:end], b)
	f.Offset = end
	return len(b), nil
}

func (r *regular) close(*Kernel, *File) {}
func (r *regular) describe() string     { return "file " + r.f.name }

func sysOpen(k *Kernel, t *Thread, a args) (uint32, error) {
	name, err := t.Proc.AS.ReadString(k.mem, a[0], maxPath)
	if err != nil {
		return 0, abi.EFAULT
	}
	if !validName(name) {
		return 0, abi.EINVAL
	}
	if k.freeFDs(t.Proc) < 1 {
		return 0, abi.EMFILE
	}
	fs := k.fs
	mf := fs.files[name]
	file := &File{Kind: FileRegular, refs: 1}
	switch a[1] {
	case abi.ORead:
		if mf == nil {
			return 0, abi.ENOENT
		}
		file.Readable = true
	case abi.OWrite, abi.OAppend:
		if mf == nil {
			if mf, err = fs.create(name); err != nil {
				return 0, err
			}
		}
		if a[1] == abi.OWrite {
			fs.used -= len(mf.data)
			mf.data = nil
		}
		file.Writable = true
	default:
		return 0, abi.EINVAL
	}
	file.ops = &regular{fs: fs, f: mf, append: a[1] == abi.OAppend}
	fd, err := k.install(t.Proc, file)
	return fd, err
}
