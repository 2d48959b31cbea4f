package asm

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// conformanceDir holds the shared conformance programs, beside the repo.
const conformanceDir = "../../shared/conformance"

// conformanceFiles lists every conformance .s file, helpers included.
func conformanceFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(conformanceDir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".s") {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Skipf("no conformance programs in %s: %v", conformanceDir, err)
	}
	return files
}

// TestConformanceAssembles checks that every conformance program assembles,
// except those whose header expects exit status 1, which must fail with
// errors at the places their STDERR lines name.
func TestConformanceAssembles(t *testing.T) {
	stderrRE := regexp.MustCompile(`(?m)^; STDERR: (.*)$`)
	for _, path := range conformanceFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = AssembleFile(path)
			if !bytes.Contains(src, []byte("\n; EXIT: 1\n")) {
				if err != nil {
					t.Fatalf("does not assemble:\n%v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("assembled, but the test expects assembly errors")
			}
			for _, m := range stderrRE.FindAllStringSubmatch(string(src), -1) {
				if !strings.Contains(err.Error(), m[1]) {
					t.Errorf("errors do not contain %q:\n%v", m[1], err)
				}
			}
		})
	}
}
