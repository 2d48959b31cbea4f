package asm

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// Source lines and where they came from. Every statement the parser sees is
// a lineInfo: a line of a file, or a line of a macro body after its
// parameters were substituted. Its origin chain records the .include
// directives and macro calls that led to it, which become an error's notes.

// srcFile is a file that contributed lines, numbered in the order first read.
type srcFile struct {
	name  string // as named: given to Assemble, or joined for an include
	index int
	lib   bool // from Options.Library: its includes look there only
}

// origin is one step of the way to a line: an include or a macro call site.
type origin struct {
	file   string
	line   int
	col    int
	msg    string
	echo   string
	parent *origin
}

// colSeg maps a stretch of a macro-expanded line back to its body line:
// copied text keeps its columns; an inserted argument maps, as a whole, to
// the \param that it replaced.
type colSeg struct {
	off   int // first byte of the stretch in the expanded text
	col   int // 1-based column in the body line
	fixed bool
}

type lineInfo struct {
	file   *srcFile
	line   int
	text   string   // what is lexed
	echo   string   // what an error shows: the line as written
	segs   []colSeg // nil when text == echo
	origin *origin
}

// col converts a byte offset in li.text to a 1-based column in li.echo.
func (li *lineInfo) col(off int) int {
	if li.segs == nil {
		return off + 1
	}
	s := colSeg{0, 1, false}
	for _, seg := range li.segs {
		if seg.off > off {
			break
		}
		s = seg
	}
	if s.fixed {
		return s.col
	}
	return s.col + off - s.off
}

// Limits that keep a hostile or broken source from exhausting the host.
const (
	maxLines        = 1 << 20  // source lines after includes and macro expansion
	maxSourceBytes  = 64 << 20 // bytes of those lines
	maxIncludeDepth = 64
	maxMacroDepth   = 64
	maxExprNodes    = 4 << 20 // expression nodes waiting for pass 2 (labels, constants, operators)
)

// fileFor returns the srcFile named name, registering it on first use.
func (a *assembler) fileFor(name string) *srcFile {
	for _, f := range a.files {
		if f.name == name {
			return f
		}
	}
	f := &srcFile{name: name, index: len(a.files)}
	a.files = append(a.files, f)
	return f
}

// countLine charges one line against the budget; false once it is spent.
func (a *assembler) countLine(li *lineInfo) bool {
	if a.fatal {
		return false
	}
	a.nlines++
	a.nbytes += len(li.text)
	if a.nlines > maxLines || a.nbytes > maxSourceBytes {
		a.errs.add(li, 0, "program too large: more than %d lines or %d MiB of source after includes and macro expansion",
			maxLines, maxSourceBytes>>20)
		a.fatal = true
		return false
	}
	return true
}

// firstWord is the first blank-separated word of a line, lower-cased, with a
// trailing comment cut off: enough to spot .endm while collecting a body.
func firstWord(s string) string {
	s = strings.TrimLeft(s, " \t")
	if i := strings.IndexAny(s, " \t;#"); i >= 0 {
		s = s[:i]
	}
	return strings.ToLower(s)
}

// processFile reads the lines of one file. Macro definitions are collected
// here, since a definition's body is kept as text until it is expanded.
func (a *assembler) processFile(f *srcFile, src []byte, org *origin) {
	lines := strings.Split(strings.TrimPrefix(string(src), "\uFEFF"), "\n") // a UTF-8 byte order mark is not code
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	var def *macro
	for i, raw := range lines {
		if a.fatal {
			return
		}
		raw = strings.TrimSuffix(raw, "\r")
		li := &lineInfo{file: f, line: i + 1, text: raw, echo: raw, origin: org}
		if def != nil {
			if !a.countLine(li) {
				return
			}
			switch firstWord(raw) {
			case ".endm":
				a.defineMacro(def)
				def = nil
			case ".macro":
				a.errs.add(li, strings.Index(raw, "."), "a macro cannot be defined inside macro %q (is its .endm missing?)", def.name)
			default:
				def.body = append(def.body, bodyLine{line: i + 1, text: raw})
			}
			continue
		}
		def = a.processLine(li, true)
	}
	if def != nil {
		a.errs.add(def.li, def.off, "macro %q has no .endm", def.name)
	}
}

// include handles .include "file" on line li; head is the directive token.
//
// The file is looked for in the including file's folder first; when no
// such file exists there, it is taken from Options.Library, the built-in
// library, under the name as written. A library file's own includes look in
// the library only. Each file is assembled once per program: a second
// .include of a file already read (the same cleaned path, or the same
// library file) is skipped, so a library file and a copy of it beside the
// program behave alike, and files that include each other need no guards.
// Including a file that is still being read is a cycle, and an error.
func (a *assembler) include(li *lineInfo, head token, args []token) {
	if len(args) != 1 || args[0].kind != tString {
		at := head.end()
		if len(args) > 0 {
			at = args[0].off
		}
		a.errs.add(li, at, `.include: expected a file name in quotes, like .include "lib.s"`)
		return
	}
	name := string(args[0].str)
	if name == "" {
		a.errs.add(li, args[0].off, ".include: empty file name")
		return
	}
	at := args[0].off
	var (
		src  []byte
		path string // the file's name in messages and the source map
		lib  bool
		err  error
	)
	if !li.file.lib {
		path = name
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(li.file.name), name)
		}
		path = filepath.Clean(path)
		if !a.mayRead(li, at, path) {
			return
		}
		src, err = a.readFile(path)
	}
	if li.file.lib || (errors.Is(err, fs.ErrNotExist) && a.opts.Library != nil) {
		libPath := LibraryPrefix + name
		if b, lerr := a.readLibrary(name); lerr == nil {
			if !a.mayRead(li, at, libPath) {
				return
			}
			src, path, lib, err = b, libPath, true, nil
		} else if li.file.lib {
			path, err = libPath, lerr
		} else {
			err = fmt.Errorf("%w, and the built-in library has no %q%s", err, name, a.libSuggestion(name))
		}
	}
	if err != nil {
		a.errs.add(li, at, "cannot read %q: %v", path, err)
		return
	}
	org := &origin{file: li.file.name, line: li.line, col: li.col(head.off), msg: "included from here",
		echo: li.echo, parent: li.origin}
	f := a.fileFor(path)
	f.lib = lib
	a.read[path] = true
	a.incStack = append(a.incStack, path)
	a.processFile(f, src, org)
	a.incStack = a.incStack[:len(a.incStack)-1]
}

// mayRead says whether the file named path is to be read now: not when it
// is being read already (a cycle: an error), nor when it was read before
// (once per program), nor past the nesting limit.
func (a *assembler) mayRead(li *lineInfo, at int, path string) bool {
	for i, p := range a.incStack {
		if p == path {
			chain := append(append([]string{}, a.incStack[i:]...), path)
			a.errs.add(li, at, "include cycle: %s", strings.Join(chain, " includes "))
			return false
		}
	}
	if a.read[path] {
		return false
	}
	if len(a.incStack) >= maxIncludeDepth {
		a.errs.add(li, at, ".include nested too deeply (limit %d)", maxIncludeDepth)
		return false
	}
	return true
}

// LibraryPrefix starts the name of a file taken from Options.Library, in
// messages and Program.Files: "<lib>/io.s" cannot be taken for a file on disk.
const LibraryPrefix = "<lib>/"

// readLibrary reads the library file name, refusing a name that would
// leave the library's folder.
func (a *assembler) readLibrary(name string) ([]byte, error) {
	if a.opts.Library == nil {
		return nil, fs.ErrNotExist
	}
	if !fs.ValidPath(name) {
		return nil, fmt.Errorf("%q is not a name in the built-in library", name)
	}
	return fs.ReadFile(a.opts.Library, name)
}

// libSuggestion is a "did you mean" for a misspelt library file name.
func (a *assembler) libSuggestion(name string) string {
	entries, err := fs.ReadDir(a.opts.Library, ".")
	if err != nil {
		return ""
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if s := suggest(name, names); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}
