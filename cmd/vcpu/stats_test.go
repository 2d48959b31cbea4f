package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	root "vcpu"
)

// statsFile holds the --stats-json of every conformance and golden program
// as a reference build of vcpu wrote it. The interpreter's fast paths must
// not change a single counter (instructions, TLB hits, misses, evictions,
// flushes, switches, per-thread figures), so the test runs every program
// in-process and demands the same JSON.
const statsFile = "testdata/stats_baseline.json"

var statsBaseline = flag.String("stats-baseline", "",
	"rewrite "+statsFile+" by running the vcpu binary `BIN` on every program")

// statsRecord is one program's reference: the hash of its source and RUN
// line (a program edited since no longer matches its record) and the stats.
type statsRecord struct {
	Hash  string          `json:"hash"`
	Args  []string        `json:"args"`
	Stats json.RawMessage `json:"stats"`
}

// statsProgram is a program to run: its key in statsFile, its RUN
// arguments (with %s and %d resolved) and its stdin.
type statsProgram struct {
	key, path string
	args      []string
	stdin     string
	hash      string
}

// statsPrograms lists the golden programs and, when ../shared is beside the
// checkout, the conformance suite.
func statsPrograms(t *testing.T) (progs []statsProgram, haveConformance bool) {
	golden, _ := filepath.Glob("testdata/*.s")
	for _, f := range golden {
		g := parseGolden(t, f)
		progs = append(progs, newStatsProgram(t, "testdata/"+filepath.Base(f), f, g.args, g.stdin))
	}
	conf, _ := filepath.Glob("../../../shared/conformance/*.s")
	for _, f := range conf {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		abs, _ := filepath.Abs(f)
		var args []string
		var stdin strings.Builder
		for _, line := range strings.Split(string(src), "\n") {
			if v, ok := strings.CutPrefix(line, "; RUN: "); ok && args == nil {
				v = strings.ReplaceAll(v, "%s", abs)
				args = strings.Fields(strings.ReplaceAll(v, "%d", filepath.Dir(abs)))
			}
			if v, ok := strings.CutPrefix(line, "; STDIN:"); ok { // as the runner reads it
				stdin.WriteString(strings.TrimPrefix(v, " ") + "\n")
			}
		}
		if len(args) == 0 || args[0] != "run" {
			continue // a helper, or a test of another command
		}
		progs = append(progs, newStatsProgram(t, "conformance/"+filepath.Base(f), f, args, stdin.String()))
	}
	// Each program again with a TLB small enough to evict all the time and
	// short quanta, and with ASIDs: the counters the fast paths keep are
	// the ones these change most.
	for _, p := range progs[:len(progs):len(progs)] {
		for _, extra := range [][]string{{"--tlb", "2", "--quantum", "3"}, {"--tlb", "4", "--asid"}} {
			args := slices.Concat(p.args[:1], extra, p.args[1:]) // a later --quantum of the RUN line wins
			progs = append(progs, newStatsProgram(t, p.key+" "+strings.Join(extra, " "), p.path, args, p.stdin))
		}
	}
	return progs, len(conf) > 0
}

func newStatsProgram(t *testing.T, key, path string, args []string, stdin string) statsProgram {
	src := withIncludes(t, path)
	// The hash covers the source with every file it includes and the RUN
	// line with the absolute folder taken out, so that it is the same in
	// every checkout and changes when a program or its library does.
	abs, _ := filepath.Abs(path)
	line := strings.ReplaceAll(strings.Join(args, " "), filepath.Dir(abs), "%d")
	h := sha256.Sum256(append(src, line...))
	return statsProgram{key: key, path: path, args: args, stdin: stdin, hash: hex.EncodeToString(h[:8])}
}

// withIncludes is a program's source followed by the source of every file
// it includes, found as the assembler finds them: beside the including
// file, else in the built-in library.
func withIncludes(t *testing.T, path string) []byte {
	var all []byte
	seen := map[string]bool{}
	var add func(path string, src []byte)
	add = func(path string, src []byte) {
		all = append(all, src...)
		for _, line := range strings.Split(string(src), "\n") {
			rest, ok := strings.CutPrefix(strings.TrimSpace(line), ".include")
			name, _, found := strings.Cut(strings.TrimPrefix(strings.TrimSpace(rest), "\""), "\"")
			if !ok || !found || seen[name] {
				continue
			}
			seen[name] = true
			beside := filepath.Join(filepath.Dir(path), name)
			if b, err := os.ReadFile(beside); err == nil {
				add(beside, b)
			} else if b, err := fs.ReadFile(root.Library, name); err == nil {
				add(name, b)
			}
		}
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	add(path, src)
	return all
}

// withStatsJSON inserts --stats-json file right after the command name.
func withStatsJSON(args []string, file string) []string {
	return slices.Concat(args[:1], []string{"--stats-json", file}, args[1:])
}

// TestStatsUnchanged compares the --stats-json of every program with the
// recorded reference. Regenerate the reference only from a build whose
// counters are known right: go test ./cmd/vcpu -run TestStatsUnchanged
// -stats-baseline /path/to/vcpu, and review the diff.
func TestStatsUnchanged(t *testing.T) {
	progs, haveConformance := statsPrograms(t)
	if *statsBaseline != "" {
		recordStats(t, progs)
		return
	}
	raw, err := os.ReadFile(statsFile)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]statsRecord
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatalf("%s: %v", statsFile, err)
	}
	if !haveConformance {
		t.Log("no ../shared/conformance beside the checkout: only the golden programs are compared")
	}
	checked := 0
	for _, p := range progs {
		t.Run(p.key, func(t *testing.T) {
			rec, ok := want[p.key]
			switch {
			case !ok:
				t.Skipf("no recorded stats for %s (added since %s was written)", p.key, statsFile)
			case rec.Hash != p.hash:
				t.Skipf("%s changed since %s was written", p.key, statsFile)
			}
			js := filepath.Join(t.TempDir(), "stats.json")
			var out, errOut bytes.Buffer
			t.Chdir(t.TempDir())
			dispatch(withStatsJSON(p.args, js), strings.NewReader(p.stdin), &out, &errOut)
			got, err := os.ReadFile(js)
			switch {
			case string(rec.Stats) == "null" && err == nil:
				t.Fatalf("stats written; the reference build wrote none")
			case string(rec.Stats) == "null":
				checked++
				return
			case err != nil:
				t.Fatalf("no stats written: %v\n%s", err, errOut.String())
			}
			if d := jsonDiff(rec.Stats, got); d != "" {
				t.Errorf("stats differ from the reference: %s", d)
			}
			checked++
		})
	}
	if checked == 0 {
		t.Errorf("no program compared: %s matches none of them", statsFile)
	}
}

// jsonDiff describes where two JSON documents differ, or returns "".
func jsonDiff(want, got []byte) string {
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		return "reference: " + err.Error()
	}
	if err := json.Unmarshal(got, &g); err != nil {
		return "output: " + err.Error()
	}
	var diffs []string
	var walk func(path string, w, g any)
	walk = func(path string, w, g any) {
		wm, wok := w.(map[string]any)
		gm, gok := g.(map[string]any)
		wl, wlok := w.([]any)
		gl, glok := g.([]any)
		switch {
		case wok && gok:
			// Keys the reference lacks are figures added since it was
			// recorded: they have nothing to be compared with.
			var keys []string
			for k := range wm {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				walk(path+"."+k, wm[k], gm[k])
			}
		case wlok && glok && len(wl) == len(gl):
			for i := range wl {
				walk(fmt.Sprintf("%s[%d]", path, i), wl[i], gl[i])
			}
		case !reflect.DeepEqual(w, g):
			diffs = append(diffs, fmt.Sprintf("%s = %v, want %v", path, g, w))
		}
	}
	walk("", w, g)
	return strings.Join(diffs, "; ")
}

// recordStats runs the binary given by -stats-baseline on every program and
// writes statsFile.
func recordStats(t *testing.T, progs []statsProgram) {
	bin, err := filepath.Abs(*statsBaseline)
	if err != nil {
		t.Fatal(err)
	}
	recs := map[string]statsRecord{}
	for _, p := range progs {
		dir := t.TempDir()
		js := filepath.Join(dir, "stats.json")
		cmd := exec.Command(bin, withStatsJSON(p.args, js)...)
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(p.stdin)
		cmd.Run() // the exit status is the program's; the stats are what matter
		var compact bytes.Buffer
		compact.WriteString("null") // no stats at all: a program that does not assemble
		if got, err := os.ReadFile(js); err == nil {
			compact.Reset()
			if err := json.Compact(&compact, got); err != nil {
				t.Fatalf("%s: %v", p.key, err)
			}
		}
		abs, _ := filepath.Abs(p.path)
		args := strings.Fields(strings.ReplaceAll(strings.Join(p.args, " "), filepath.Dir(abs), "%d"))
		recs[p.key] = statsRecord{Hash: p.hash, Args: args, Stats: compact.Bytes()}
	}
	// One record a line, sorted: small, and a changed counter is a
	// one-line diff.
	var out bytes.Buffer
	out.WriteString("{\n")
	for i, key := range slices.Sorted(maps.Keys(recs)) {
		k, _ := json.Marshal(key)
		r, err := json.Marshal(recs[key])
		if err != nil {
			t.Fatal(err)
		}
		sep := ",\n"
		if i == len(recs)-1 {
			sep = "\n"
		}
		fmt.Fprintf(&out, "%s: %s%s", k, r, sep)
	}
	out.WriteString("}\n")
	if err := os.WriteFile(statsFile, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s: %d programs from %s", statsFile, len(recs), bin)
}
