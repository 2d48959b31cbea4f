package hostfile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vcpu/internal/hostfile"
)

// ReadRegular and ReadIn read regular files within their limit and refuse
// everything else without blocking: a FIFO with no writer would block an
// ordinary open forever.
func TestReadRefusesWhatCouldBlockOrFlood(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "small"), []byte("12345"), 0o644)
	os.Mkdir(filepath.Join(dir, "folder"), 0o755)
	fifo := filepath.Join(dir, "fifo")
	if err := mkfifo(fifo); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	tests := []struct {
		name  string
		limit int64
		want  string // "" = read it
	}{
		{"small", 5, ""},
		{"small", 4, "small: 5 bytes, over the 4-byte limit"},
		{"folder", 100, "not a regular file (a directory)"},
		{"fifo", 100, "not a regular file (a named pipe)"},
		{"missing", 100, "no such file"},
	}
	for _, tc := range tests {
		for _, read := range []func() ([]byte, error){
			func() ([]byte, error) { return hostfile.ReadRegular(filepath.Join(dir, tc.name), tc.limit) },
			func() ([]byte, error) { return hostfile.ReadIn(root, tc.name, tc.limit) },
		} {
			b, err := read()
			switch {
			case tc.want == "" && (err != nil || string(b) != "12345"):
				t.Errorf("%s: %q, %v", tc.name, b, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
			}
		}
	}
	if _, err := hostfile.ReadIn(root, "../outside", 100); err == nil || errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a path out of the root: %v", err)
	}
	var refused *hostfile.RefusedError
	if _, err := hostfile.ReadBounded("/dev/zero", 1<<10, nil); err == nil || !errors.As(err, &refused) {
		t.Errorf("/dev/zero through ReadBounded: %v, want it refused past the limit", err)
	}
}

// ReadBounded refuses a regular file by its size before reading it, and a
// stream by its first bytes when the sniff says so: neither /dev/zero nor a
// sparse 3 GB file is read up to the limit first.
func TestReadBoundedLooksBeforeItReads(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big")
	f, _ := os.Create(big)
	f.Truncate(3 << 30) // sparse: no disk is used
	f.Close()
	small := filepath.Join(dir, "small")
	os.WriteFile(small, []byte("abc\x00def"), 0o644)
	noNUL := func(head []byte) error {
		if strings.IndexByte(string(head), 0) >= 0 {
			return errors.New("has a NUL")
		}
		return nil
	}
	tests := []struct {
		path  string
		limit int64
		sniff func([]byte) error
		want  string // "" is success
	}{
		{big, 1 << 20, nil, "3221225472 bytes, over the 1 MiB limit"},
		{small, 100, noNUL, ""}, // a regular file is never sniffed
		{small, 6, nil, "7 bytes, over the 6-byte limit"},
		{"/dev/zero", 1 << 20, noNUL, "/dev/zero: has a NUL"},
		{"/dev/zero", 1 << 10, nil, "larger than the 1024-byte limit"},
		{"/dev/zero", 10, func([]byte) error { return nil }, "larger than the 10-byte limit"},
	}
	for _, tc := range tests {
		b, err := hostfile.ReadBounded(tc.path, tc.limit, tc.sniff)
		var refused *hostfile.RefusedError
		switch {
		case tc.want == "" && (err != nil || string(b) != "abc\x00def"):
			t.Errorf("%s: %q, %v; want its contents", tc.path, b, err)
		case tc.want != "" && (err == nil || !errors.As(err, &refused) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s limit %d: %v; want a refusal containing %q", tc.path, tc.limit, err, tc.want)
		}
	}
}
