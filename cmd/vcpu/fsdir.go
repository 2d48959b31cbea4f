package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"

	"vcpu/internal/hostfile"
	"vcpu/internal/termsafe"
	"vcpu/kernel"
)

// --fs DIR and --fs-save: the in-memory file system preloaded from a host
// folder and written back to it. The folder is the only place on the host
// a guest's files reach, so both directions stay inside it: symbolic links
// are neither read nor written through, a file too large for the machine
// is refused by its size before it is read, and a save writes each file to
// a new temporary file in the folder and renames it into place.

// preloadFS copies the regular files at the top of dir into the machine's
// file system. Its names are flat, like the machine's; folders, symbolic
// links and special files are left out.
func preloadFS(k *kernel.Kernel, dir string) error {
	if dir == "" {
		return nil
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	entries, err := fs.ReadDir(root.FS(), ".")
	if err != nil {
		return err
	}
	cfg := k.Config()
	used, files := 0, 0
	for _, e := range entries {
		if !e.Type().IsRegular() { // DirEntry types come from lstat: a link is not regular
			continue
		}
		name := e.Name()
		files++
		if files > cfg.FSFiles {
			return fmt.Errorf("%s holds more than the %d files the file system may hold (see --fs-files)", termsafe.String(dir), cfg.FSFiles)
		}
		room := int64(cfg.FSSize - used - len(name))
		if info, err := e.Info(); err == nil && info.Size() > room {
			return fmt.Errorf("%s: %d bytes, more than the %d bytes left in the file system (see --fs-size)", termsafe.String(name), info.Size(), max(room, 0))
		}
		b, err := hostfile.ReadIn(root, name, max(room, 0))
		if err != nil {
			return fmt.Errorf("%s (see --fs-size)", termsafe.String(err.Error()))
		}
		if err := k.WriteFile(name, b); err != nil {
			return fmt.Errorf("%s: %v (the file system holds %d bytes in %d files; see --fs-size and --fs-files)", termsafe.String(name), err, cfg.FSSize, cfg.FSFiles)
		}
		used += len(name) + len(b)
	}
	return nil
}

// saveFS writes every file of the machine back to dir. It writes every
// file it can and returns one error per file it cannot: one whose name in
// dir is a symbolic link, a folder or anything but a regular file is not
// written (nothing is ever written through a link).
func saveFS(k *kernel.Kernel, dir string) []error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return []error{err}
	}
	defer root.Close()
	var errs []error
	for _, f := range k.Files() {
		b, _ := k.ReadFile(f.Name)
		if err := saveFile(root, f.Name, b); err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", termsafe.String(f.Name), err))
		}
	}
	return errs
}

// saveFile puts b in root under name: written to a temporary file created
// afresh (O_EXCL, so no link or file already there is written through),
// then renamed over name, which replaces a regular file and never follows
// a link. A name that is not a regular file is refused.
func saveFile(root *os.Root, name string, b []byte) error {
	perm := fs.FileMode(0o644)
	switch fi, err := root.Lstat(name); {
	case err == nil && !fi.Mode().IsRegular():
		return fmt.Errorf("not written: in the folder it is %s, not a regular file", hostfile.Kind(fi.Mode()))
	case err == nil:
		perm = fi.Mode().Perm()
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	var tmp string
	var f *os.File
	for i := 0; ; i++ {
		tmp = ".vcpu-save-" + strconv.Itoa(os.Getpid()) + "-" + strconv.Itoa(i)
		var err error
		f, err = root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) || i == 100 {
			return err
		}
	}
	_, err := f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(tmp, name)
	}
	if err != nil {
		root.Remove(tmp)
	}
	return err
}
