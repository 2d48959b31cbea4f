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
	if _, err := hostfile.ReadBounded("/dev/zero", 1<<10); err == nil || !errors.As(err, &refused) {
		t.Errorf("/dev/zero through ReadBounded: %v, want it refused past the limit", err)
	}
}
