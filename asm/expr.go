package asm

import (
	"fmt"
	"strconv"
	"strings"

	"vcpu/cpu"
)

// Expressions are parsed into a small tree when a line is parsed and
// evaluated later, once every label has an address: that is what lets a
// label be used before it is defined. Values are int64 and wrap on overflow;
// the place that uses a value checks that it fits (32 bits, a byte, ...).

type exprKind uint8

const (
	eNum exprKind = iota
	eSym
	eUnary
	eBinary
)

// expr is one node, kept small (48 bytes): a program may hold millions of
// them until pass 2.
type expr struct {
	kind exprKind
	op   byte   // eUnary, eBinary: the operator's first character ('<' is <<, '>' is >>)
	off  int32  // byte offset in the line of the token, for messages
	val  int64  // eNum
	name string // eSym
	x, y *expr
}

// posErr is an error at a byte offset of the current line.
type posErr struct {
	off int
	msg string
	// name, if set, is a word used where a register belongs that may be a
	// misspelt label: the hint waits until every label is known (hints.go).
	name string
}

func errAt(off int, format string, args ...any) *posErr {
	return &posErr{off: off, msg: fmt.Sprintf(format, args...)}
}

// Limits on expressions, so that no source can exhaust the host: nesting
// ("((((…") would exhaust the stack; a long chain ("1+1+1+…") builds a tree
// as deep as it is long, which evaluation walks recursively; and every
// node kept until pass 2 is memory (the assembler's own budget,
// maxExprNodes, counts those across the program).
const (
	maxExprDepth = 100
	maxExprTerms = 10000 // numbers, names and operators in one expression
)

// Binary operators by precedence level, lowest first, as in C.
var precLevels = [][]string{{"|"}, {"^"}, {"&"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}}

// tokParser reads tokens of one line.
type tokParser struct {
	toks  []token
	i     int
	eol   int // offset just past the last token: where "missing ..." errors point
	depth int
	terms int // terms and operators of the expression being parsed
}

// term counts one more term or operator, failing past maxExprTerms.
func (p *tokParser) term(off int) *posErr {
	p.terms++
	if p.terms > maxExprTerms {
		return errAt(off, "expression too long: more than %d terms and operators", maxExprTerms)
	}
	return nil
}

// fold computes a node whose operands are all numbers, so that a constant
// expression, however long, is kept as one number until pass 2. A node
// whose evaluation fails (a division by zero) is kept, so that pass 2
// reports the error where it always did.
func fold(e *expr) *expr {
	if e.x == nil || e.x.kind != eNum || e.y != nil && e.y.kind != eNum {
		return e
	}
	v, err := e.eval(nil)
	if err != nil {
		return e
	}
	return &expr{kind: eNum, off: e.off, val: v}
}

func (p *tokParser) peek() (token, bool) {
	if p.i < len(p.toks) {
		return p.toks[p.i], true
	}
	return token{}, false
}

func (p *tokParser) isPunct(s string) bool {
	t, ok := p.peek()
	return ok && t.kind == tPunct && t.text == s
}

func (p *tokParser) here() int {
	if t, ok := p.peek(); ok {
		return t.off
	}
	return p.eol
}

// describe names the next token for an error message.
func (p *tokParser) describe() string {
	if t, ok := p.peek(); ok {
		return strconv.Quote(t.text)
	}
	return "end of line"
}

// parseExpr parses an expression at the current position.
func (p *tokParser) parseExpr() (*expr, *posErr) { return p.parseLevel(0) }

func (p *tokParser) parseLevel(level int) (*expr, *posErr) {
	if level == len(precLevels) {
		return p.parseUnary()
	}
	x, err := p.parseLevel(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		t, ok := p.peek()
		if !ok || t.kind != tPunct || !contains(precLevels[level], t.text) {
			return x, nil
		}
		if err := p.term(t.off); err != nil {
			return nil, err
		}
		p.i++
		y, err := p.parseLevel(level + 1)
		if err != nil {
			return nil, err
		}
		x = fold(&expr{kind: eBinary, off: int32(t.off), op: t.text[0], x: x, y: y})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (p *tokParser) parseUnary() (*expr, *posErr) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxExprDepth {
		return nil, errAt(p.here(), "expression nested too deeply (limit %d)", maxExprDepth)
	}
	t, ok := p.peek()
	if !ok {
		return nil, errAt(p.eol, "expected an expression, got end of line")
	}
	if err := p.term(t.off); err != nil {
		return nil, err
	}
	switch {
	case t.kind == tPunct && (t.text == "-" || t.text == "~" || t.text == "+"):
		p.i++
		x, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return fold(&expr{kind: eUnary, off: int32(t.off), op: t.text[0], x: x}), nil
	case t.kind == tPunct && t.text == "(":
		p.i++
		x, err := p.parseLevel(0)
		if err != nil {
			return nil, err
		}
		if !p.isPunct(")") {
			return nil, errAt(p.here(), "expected ')', got %s", p.describe())
		}
		p.i++
		return x, nil
	case t.kind == tPunct && t.text == dot:
		p.i++
		return &expr{kind: eSym, off: int32(t.off), name: dot}, nil
	case t.kind == tNumber || t.kind == tChar:
		p.i++
		return &expr{kind: eNum, off: int32(t.off), val: t.val}, nil
	case t.kind == tIdent:
		p.i++
		if _, ok := regNum(t.text); ok {
			return nil, errAt(t.off, "register %s cannot be used in an expression", t.text)
		}
		return &expr{kind: eSym, off: int32(t.off), name: t.text}, nil
	case t.kind == tString:
		return nil, errAt(t.off, "a string cannot be used as a number here")
	}
	return nil, errAt(t.off, "expected an expression, got %q", t.text)
}

// dot is the location counter's name in expressions: the address of the
// statement it appears in (for a .equ, of the place in its section where the
// .equ stands). It is never a symbol, so every lookup handles it first.
const dot = "."

// lookupFunc gives a symbol's value or an error naming why it has none.
type lookupFunc func(name string, off int) (int64, *posErr)

// nodes counts the nodes of e: what it costs to keep until pass 2.
func (e *expr) nodes() int {
	if e == nil {
		return 0
	}
	return 1 + e.x.nodes() + e.y.nodes()
}

// eval computes e. Division by zero and out-of-range shifts are errors, not
// panics; everything else wraps in int64.
func (e *expr) eval(look lookupFunc) (int64, *posErr) {
	switch e.kind {
	case eNum:
		return e.val, nil
	case eSym:
		return look(e.name, int(e.off))
	case eUnary:
		x, err := e.x.eval(look)
		if err != nil {
			return 0, err
		}
		switch e.op {
		case '-':
			return -x, nil
		case '~':
			return ^x, nil
		}
		return x, nil
	}
	x, err := e.x.eval(look)
	if err != nil {
		return 0, err
	}
	y, err := e.y.eval(look)
	if err != nil {
		return 0, err
	}
	switch e.op {
	case '*':
		return x * y, nil
	case '/', '%':
		if y == 0 {
			return 0, errAt(int(e.off), "division by zero in expression")
		}
		if e.op == '/' {
			return x / y, nil
		}
		return x % y, nil
	case '+':
		return x + y, nil
	case '-':
		return x - y, nil
	case '<', '>':
		if y < 0 || y > 63 {
			return 0, errAt(int(e.off), "shift count %d out of range 0..63", y)
		}
		if e.op == '<' {
			return x << uint(y), nil
		}
		return x >> uint(y), nil // arithmetic: x is signed
	case '&':
		return x & y, nil
	case '^':
		return x ^ y, nil
	case '|':
		return x | y, nil
	}
	return 0, errAt(int(e.off), "internal error: unknown operator %q", e.op)
}

// regNum recognises a register name, case-insensitively: r0-r15, sp, fp.
func regNum(name string) (int, bool) {
	if len(name) < 2 || len(name) > 3 {
		return 0, false
	}
	l := strings.ToLower(name)
	switch l {
	case "sp":
		return cpu.SP, true
	case "fp":
		return cpu.FP, true
	}
	if l[0] != 'r' || (len(l) == 3 && l[1] == '0') {
		return 0, false
	}
	n, err := strconv.Atoi(l[1:])
	if err != nil || n < 0 || n >= cpu.NumRegs {
		return 0, false
	}
	return n, true
}

// looksLikeReg is true for names such as r16 or R99: not registers, but
// surely meant as one.
func looksLikeReg(name string) bool {
	if len(name) < 2 || (name[0] != 'r' && name[0] != 'R') {
		return false
	}
	for i := 1; i < len(name); i++ {
		if name[i] < '0' || name[i] > '9' {
			return false
		}
	}
	return true
}

// registerNames is every register spelling, for suggestions.
var registerNames = func() []string {
	var names []string
	for r := 0; r < cpu.NumRegs; r++ {
		names = append(names, fmt.Sprintf("r%d", r))
	}
	return append(names, "sp", "fp")
}()

// fmtVal prints a value for a message: decimal when small, hex when large.
func fmtVal(v int64) string {
	switch {
	case v >= -65536 && v <= 65535:
		return strconv.FormatInt(v, 10)
	case v < 0:
		return "-0x" + strconv.FormatUint(-uint64(v), 16)
	}
	return "0x" + strconv.FormatUint(uint64(v), 16)
}

// fits32 is the range of a 32-bit operand: signed or unsigned, either works.
func fits32(v int64) bool { return v >= -1<<31 && v <= 1<<32-1 }
