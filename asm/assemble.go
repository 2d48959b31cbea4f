// Package asm is vcpu's assembler: it turns the assembly language of
// docs/ASM.md into an image.Program (the image the kernel loads, with symbols
// and a source map), and back again as a listing. LoadFile and LoadWith
// also take a .vbin file, which package image reads. It knows the ISA table
// in package cpu, the predefined names of package abi and the image it
// makes, nothing else of the machine.
//
// The assembler runs in the classic stages: lexer → parser (with .include
// and macro expansion) → pass 1 (layout and symbols) → pass 2 (encoding).
// Every error is collected and returned as one sorted ErrorList.
package asm

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"vcpu/abi"
	"vcpu/cpu"
	"vcpu/image"
	"vcpu/internal/hostfile"
)

// Options configures an assembly.
type Options struct {
	// ReadFile reads a file named by .include; nil means readInclude (a
	// regular file within image.MaxFileSize, never a FIFO or a device).
	// Tests and the window pass an in-memory file system.
	ReadFile func(path string) ([]byte, error)
	// Library is the built-in library: an .include whose file does not
	// exist beside the including file is looked up here by the name as
	// written ("io.s"). Nil: no library. The asm package has no library of
	// its own; the commands pass the one vcpu embeds.
	Library fs.FS
}

// assembler is the state of one assembly.
type assembler struct {
	opts  Options
	errs  errorSink
	files []*srcFile
	stmts []*stmt

	macros   map[string]*macro // by lower-case name
	expStack []*macro
	nexpand  int
	incStack []string        // names of the files being read, for cycle detection
	read     map[string]bool // names of every file read: each is read once

	nlines, nbytes int
	exprNodes      int  // expression nodes kept until pass 2, against maxExprNodes
	fatal          bool // a budget was exhausted: stop reading
	tokBuf         []token

	predef  map[string]int64
	symbols map[string]*symbol
	symList []*symbol // in definition order
	names   []string  // every name a reference could mean, for suggestions
	// labelHints are errors whose hint waits for the symbol table.
	labelHints []labelHint
	size       [3]uint32 // per section, after layout
	base       [3]uint32
}

func (a *assembler) readFile(path string) ([]byte, error) {
	if a.opts.ReadFile != nil {
		return a.opts.ReadFile(path)
	}
	return readInclude(path)
}

// readInclude reads a file named by .include: a regular file of at most
// image.MaxFileSize bytes. A FIFO or a device (a .include "/dev/stdin") is
// refused rather than read, so an include can never block or flood the
// assembler.
func readInclude(path string) ([]byte, error) {
	return hostfile.ReadRegular(path, image.MaxFileSize)
}

// Assemble assembles src, the contents of the file named path. path is used
// in messages, as Program.Path, and for Program.Name (its base name without
// extension); .include paths are resolved against its folder. A non-nil
// error is always an ErrorList holding every error found.
func Assemble(path string, src []byte, opts Options) (*image.Program, error) {
	return newAssembler(opts).assemble(path, src)
}

func newAssembler(opts Options) *assembler {
	return &assembler{opts: opts, macros: map[string]*macro{}, predef: predefined(), symbols: map[string]*symbol{}}
}

func (a *assembler) assemble(path string, src []byte) (*image.Program, error) {
	main := a.fileFor(path)
	a.incStack = []string{filepath.Clean(path)}
	a.read = map[string]bool{filepath.Clean(path): true}
	a.processFile(main, src, nil)
	if a.fatal {
		return nil, a.errs.result()
	}
	a.layout()
	a.finishHints()
	p := a.encode()
	if err := a.errs.result(); err != nil {
		return nil, err
	}
	p.Path = path
	p.Name = progName(path)
	return p, nil
}

// AssembleFileWith reads and assembles the file at path with opts. It reads
// whatever the user named, a pipe included, up to image.MaxFileSize bytes.
func AssembleFileWith(path string, opts Options) (*image.Program, error) {
	src, err := hostfile.ReadBounded(path, image.MaxFileSize, sniffProgram)
	if err != nil {
		return nil, err
	}
	return Assemble(path, src, opts)
}

// LoadFile reads the program at path, as LoadWith makes it. Errors name
// the file. It reads whatever the user named, a pipe included, up to
// image.MaxFileSize bytes.
func LoadFile(path string, opts Options) (*image.Program, error) {
	b, err := hostfile.ReadBounded(path, image.MaxFileSize, sniffProgram)
	if err != nil {
		return nil, err
	}
	p, err := LoadWith(path, b, opts)
	if err != nil && !isErrorList(err) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, err
}

// LoadWith makes a program from the bytes of the file at path: a .vbin
// file if it starts with the .vbin magic (whatever its extension), else
// assembly source, assembled with opts. A source that does not assemble
// gives an ErrorList; a damaged .vbin, an error that does not repeat the
// path.
func LoadWith(path string, src []byte, opts Options) (*image.Program, error) {
	if bytes.HasPrefix(src, []byte(image.Magic)) {
		p, err := image.Unmarshal(src)
		if err != nil {
			return nil, err
		}
		p.Path, p.Name = path, progName(path)
		return p, nil
	}
	return Assemble(path, src, opts)
}

// sniffProgram refuses, from its first bytes, a stream that is neither a
// .vbin nor text: source never holds a NUL byte, so a device such as
// /dev/zero or /dev/urandom is refused at once instead of being read to
// image.MaxFileSize first. (A regular file is never sniffed: its size is
// known, and the assembler's own error says where the bad byte is.)
func sniffProgram(head []byte) error {
	if bytes.HasPrefix(head, []byte(image.Magic)) {
		return nil
	}
	if i := bytes.IndexByte(head, 0); i >= 0 {
		return fmt.Errorf("not a program: a NUL byte at offset %d, and it does not start with the .vbin magic %q", i, image.Magic)
	}
	return nil
}

func isErrorList(err error) bool {
	_, ok := err.(ErrorList)
	return ok
}

// progName is a file's base name without its extension: "hello" for "demo/hello.s".
func progName(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// processLine lexes and parses one line and appends its statement. In a
// file (not a macro body) a .macro line starts a definition, which is
// returned for processFile to collect.
func (a *assembler) processLine(li *lineInfo, inFile bool) *macro {
	if !a.countLine(li) {
		return nil
	}
	// Tokens live only while their line is parsed (what outlives it is
	// copied out), so one buffer serves every line. A nested line (a macro
	// body, an included file) finds the buffer taken and makes its own.
	toks, lerrs := lexLine(li.text, a.tokBuf)
	a.tokBuf = nil
	defer func() { a.tokBuf = toks[:0] }()
	for _, e := range lerrs {
		a.errs.add(li, e.off, "%s", e.msg)
	}
	labels, rest, perr := splitLabels(toks)
	st := &stmt{li: li, labels: labels}
	if perr != nil || len(lerrs) > 0 {
		if perr != nil && len(lerrs) == 0 {
			a.errs.add(li, perr.off, "%s", perr.msg)
		}
		st.bad = true
		a.stmts = append(a.stmts, st)
		return nil
	}
	if len(rest) == 0 {
		if len(labels) > 0 {
			a.stmts = append(a.stmts, st)
		}
		return nil
	}
	head := rest[0]
	st.off = head.off
	switch head.kind {
	case tDirective:
		st.name = strings.ToLower(head.text)
		switch st.name {
		case ".include", ".macro", ".endm":
			if len(labels) > 0 {
				a.stmts = append(a.stmts, st) // the labels mark what follows
			}
			a.preprocDirective(li, st.name, head, rest[1:], inFile)
			if st.name == ".macro" && inFile {
				return a.startMacro(li, head, rest[1:])
			}
			return nil
		}
		st.kind = sDir
		if err := a.parseDirective(st, head, rest[1:]); err != nil {
			a.errs.add(li, err.off, "%s", err.msg)
			st.bad = true
		}
	case tIdent:
		lname := strings.ToLower(head.text)
		if op, ok := cpu.Lookup(lname); ok {
			st.kind, st.name, st.op = sInst, lname, op
			if err := parseInst(st, rest[1:]); err != nil {
				e := a.errs.add(li, err.off, "%s", err.msg)
				if err.name != "" {
					a.labelHints = append(a.labelHints, labelHint{e, err.name})
				}
				st.bad = true
			}
		} else if m, ok := a.macros[lname]; ok {
			if len(labels) > 0 {
				a.stmts = append(a.stmts, st)
			}
			a.expand(li, m, head, rest[1:])
			return nil
		} else {
			msg := fmt.Sprintf("unknown mnemonic %q", head.text)
			if s := suggest(lname, append(mnemonics[:len(mnemonics):len(mnemonics)], a.macroNames()...)); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			a.errs.add(li, head.off, "%s", msg)
			st.bad = true
		}
	default:
		a.errs.add(li, head.off, "expected an instruction or a directive, got %q", head.text)
		st.bad = true
	}
	a.chargeExprs(st)
	a.stmts = append(a.stmts, st)
	return nil
}

// chargeExprs counts the expression nodes st keeps until pass 2 against
// maxExprNodes. Constant expressions are folded to one number as they are
// parsed, so only the terms that name symbols cost much.
func (a *assembler) chargeExprs(st *stmt) {
	for _, o := range st.args {
		a.exprNodes += o.e.nodes()
	}
	if a.exprNodes > maxExprNodes && !a.fatal {
		a.errs.add(st.li, st.off, "program too large: more than %d expression terms kept for pass 2", maxExprNodes)
		a.fatal = true
	}
}

// preprocDirective handles .include, and the misplaced .macro/.endm.
func (a *assembler) preprocDirective(li *lineInfo, name string, head token, args []token, inFile bool) {
	switch {
	case name == ".include":
		a.include(li, head, args)
	case name == ".endm":
		a.errs.add(li, head.off, ".endm without .macro")
	case name == ".macro" && !inFile:
		a.errs.add(li, head.off, "a macro cannot be defined inside a macro expansion")
	}
}

// mnemonics is every instruction name, for suggestions.
var mnemonics = func() []string {
	var names []string
	for op := cpu.Opcode(0); op < cpu.NumOpcodes; op++ {
		names = append(names, cpu.Instructions[op].Name)
	}
	return names
}()

// predefinedNames is abi.Constants(), computed once; it is only ever read.
var predefinedNames = abi.Constants()

// predefined returns every name the assembler predefines.
func predefined() map[string]int64 { return predefinedNames }
