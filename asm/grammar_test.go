package asm

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/exp/ebnf"

	"vcpu/cpu"
)

// The grammar in docs/ASM.md, checked: well formed, every production
// reachable, in step with the ISA table, and in agreement with the
// assembler: programs walked out of it at random assemble without error.

// grammarBlock matches the ```ebnf block of docs/ASM.md.
var grammarBlock = regexp.MustCompile("(?s)```ebnf\n(.*?)```")

func loadGrammar(t testing.TB) ebnf.Grammar {
	t.Helper()
	doc, err := os.ReadFile("../docs/ASM.md")
	if err != nil {
		t.Fatal(err)
	}
	m := grammarBlock.FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/ASM.md has no ```ebnf block")
	}
	g, err := ebnf.Parse("docs/ASM.md", bytes.NewReader(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestGrammarWellFormed: every production used is defined, every one
// defined is reachable from Program, and tokens are made of tokens.
func TestGrammarWellFormed(t *testing.T) {
	if err := ebnf.Verify(loadGrammar(t), "Program"); err != nil {
		t.Fatal(err)
	}
}

// TestGrammarMatchesISA: the grammar names every mnemonic of the ISA table,
// under the production of its operand format, and no other.
func TestGrammarMatchesISA(t *testing.T) {
	g := loadGrammar(t)
	byFormat := map[cpu.Format]string{
		cpu.FmtNone: "NoOperands", cpu.FmtRdRsSrc: "AluOp", cpu.FmtRdSrc: "MoveInstr", cpu.FmtRdRs: "UnaryInstr",
		cpu.FmtRd: "RegInstr", cpu.FmtRegMem: "MemInstr", cpu.FmtSrc: "PushInstr", cpu.FmtTarget: "JumpInstr",
		cpu.FmtRsSrcTarget: "BranchOp",
	}
	want := map[string][]string{}
	for op := cpu.Opcode(0); op < cpu.NumOpcodes; op++ {
		in := cpu.Instructions[op]
		prod, ok := byFormat[in.Format]
		if !ok {
			t.Fatalf("format of %s has no production in the test's table", in.Name)
		}
		want[prod] = append(want[prod], in.Name)
	}
	for prod, names := range want {
		p := g[prod]
		if p == nil {
			t.Fatalf("no production %s", prod)
		}
		var got []string
		collectTokens(p.Expr, func(s string) {
			if _, ok := cpu.Lookup(s); ok {
				got = append(got, s)
			}
		})
		sort.Strings(got)
		sort.Strings(names)
		if strings.Join(got, " ") != strings.Join(names, " ") {
			t.Errorf("%s names %v, the ISA table %v", prod, got, names)
		}
	}
}

func collectTokens(x ebnf.Expression, f func(string)) {
	switch x := x.(type) {
	case ebnf.Alternative:
		for _, e := range x {
			collectTokens(e, f)
		}
	case ebnf.Sequence:
		for _, e := range x {
			collectTokens(e, f)
		}
	case *ebnf.Group:
		collectTokens(x.Body, f)
	case *ebnf.Option:
		collectTokens(x.Body, f)
	case *ebnf.Repetition:
		collectTokens(x.Body, f)
	case *ebnf.Token:
		f(x.String)
	}
}

// TestGeneratedProgramsAssemble: the assembler accepts what the grammar
// describes. Each program is also put through the listing and .vbin round
// trips.
func TestGeneratedProgramsAssemble(t *testing.T) {
	g := loadGrammar(t)
	for seed := range uint64(300) {
		gen := newGenerator(g, seed)
		src := gen.program()
		p, err := Assemble("gen.s", []byte(src), Options{ReadFile: gen.readFile})
		if err != nil {
			t.Fatalf("seed %d: a program the grammar describes does not assemble:\n%v\n--- program ---\n%s", seed, err, src)
		}
		roundTrip(t, p)
	}
}

// FuzzGrammarPrograms: for any seed, the program walked out of the grammar
// assembles and survives the round trips.
func FuzzGrammarPrograms(f *testing.F) {
	g := loadGrammar(f)
	for seed := range uint64(8) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		gen := newGenerator(g, seed)
		src := gen.program()
		p, err := Assemble("gen.s", []byte(src), Options{ReadFile: gen.readFile})
		if err != nil {
			t.Fatalf("does not assemble:\n%v\n--- program ---\n%s", err, src)
		}
		roundTrip(t, p)
	})
}

// grammarSeeds are programs walked out of the grammar, for FuzzAssemble to
// start from: the fuzzer then mutates real programs, not only a handful
// written by hand, and gets past the parser more often.
func grammarSeeds(t testing.TB, n int) []string {
	g := loadGrammar(t)
	var out []string
	for seed := range uint64(n) {
		out = append(out, newGenerator(g, 1000+seed).program())
	}
	return out
}

// generator walks the grammar at random. It follows the productions as
// written; where a rule of the language is not in the grammar (prose, above
// the grammar in docs/ASM.md) it steps in at the production that carries
// it: fresh names for labels and constants, small values where a size or a
// byte is wanted, a divisor or shift count that is never 0 or too big, a
// macro called only after its definition, with its own arity.
type generator struct {
	g       ebnf.Grammar
	r       *rand.Rand
	b       strings.Builder
	height  map[string]int // the least depth at which each production can end
	names   int
	labels  []string       // labels defined so far
	consts  []string       // .equ constants defined so far
	macros  map[string]int // macros defined so far, with their parameter counts
	files   map[string][]byte
	inMacro bool
	inExpr  bool
	section string
	values  map[string]int64 // every constant the generated expressions may name, with its value
}

func newGenerator(g ebnf.Grammar, seed uint64) *generator {
	gen := &generator{g: g, r: rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15)), macros: map[string]int{},
		files: map[string][]byte{}, section: ".text",
		values: map[string]int64{"STDOUT": 1, "SYS_WRITE": 2, "O_APPEND": 2, "ENOENT": -2}}
	gen.height = heights(g)
	return gen
}

func (gen *generator) readFile(path string) ([]byte, error) {
	if b, ok := gen.files[path]; ok {
		return b, nil
	}
	return nil, os.ErrNotExist
}

// heights computes for each production the least depth of a derivation
// that ends: an alternative is taken by its lowest branch when the depth
// budget runs out, so every walk ends.
func heights(g ebnf.Grammar) map[string]int {
	const inf = 1 << 20
	h := map[string]int{}
	for name := range g {
		h[name] = inf
	}
	var of func(x ebnf.Expression) int
	of = func(x ebnf.Expression) int {
		switch x := x.(type) {
		case ebnf.Alternative:
			m := inf
			for _, e := range x {
				m = min(m, of(e))
			}
			return m
		case ebnf.Sequence:
			m := 0
			for _, e := range x {
				m = max(m, of(e))
			}
			return m
		case *ebnf.Group:
			return of(x.Body)
		case *ebnf.Option, *ebnf.Repetition:
			return 0
		case *ebnf.Name:
			return h[x.String] + 1
		}
		return 0
	}
	for changed := true; changed; {
		changed = false
		for name, p := range g {
			if v := of(p.Expr); v < h[name] {
				h[name], changed = v, true
			}
		}
	}
	return h
}

func (gen *generator) heightOf(x ebnf.Expression) int {
	switch x := x.(type) {
	case ebnf.Alternative:
		m := 1 << 20
		for _, e := range x {
			m = min(m, gen.heightOf(e))
		}
		return m
	case ebnf.Sequence:
		m := 0
		for _, e := range x {
			m = max(m, gen.heightOf(e))
		}
		return m
	case *ebnf.Group:
		return gen.heightOf(x.Body)
	case *ebnf.Name:
		return gen.height[x.String] + 1
	}
	return 0
}

func (gen *generator) program() string {
	gen.prod("Program", 12)
	// Any label referred to but never defined (a forward reference the
	// walk did not reach) is defined at the end, alone on its line.
	gen.b.WriteString("\n")
	return gen.b.String()
}

func (gen *generator) fresh(prefix string) string {
	gen.names++
	return fmt.Sprintf("%s%d", prefix, gen.names)
}

// tok writes a token of an upper-case production, separated by a space.
func (gen *generator) tok(s string) {
	gen.b.WriteByte(' ')
	gen.b.WriteString(s)
}

// prod walks the production name with depth levels of recursion left, from
// an upper-case production: a token starts with a space.
func (gen *generator) prod(name string, depth int) { gen.prodIn(name, depth, false) }

// prodIn walks name; inToken says it is part of a token being written, so
// no space goes before it.
func (gen *generator) prodIn(name string, depth int, inToken bool) {
	if gen.hook(name, depth) {
		return
	}
	p := gen.g[name]
	if p == nil {
		panic("no production " + name)
	}
	if isLexical(name) && !inToken {
		gen.b.WriteByte(' ')
	}
	gen.walk(p.Expr, depth, isLexical(name))
}

func isLexical(name string) bool { return name[0] >= 'a' && name[0] <= 'z' }

func (gen *generator) walk(x ebnf.Expression, depth int, lexical bool) {
	switch x := x.(type) {
	case ebnf.Alternative:
		// Out of depth, take a branch that ends soonest.
		var choices []ebnf.Expression
		if depth <= 0 {
			lo := 1 << 20
			for _, e := range x {
				lo = min(lo, gen.heightOf(e))
			}
			for _, e := range x {
				if gen.heightOf(e) == lo {
					choices = append(choices, e)
				}
			}
		} else {
			choices = x
		}
		gen.walk(choices[gen.r.IntN(len(choices))], depth, lexical)
	case ebnf.Sequence:
		for _, e := range x {
			gen.walk(e, depth, lexical)
		}
	case *ebnf.Group:
		gen.walk(x.Body, depth, lexical)
	case *ebnf.Option:
		if depth > 0 && gen.r.IntN(2) == 0 {
			gen.walk(x.Body, depth-1, lexical)
		}
	case *ebnf.Repetition:
		n := 0
		if depth > 0 {
			n = gen.r.IntN(3)
		}
		for range n {
			gen.walk(x.Body, depth-1, lexical)
		}
	case *ebnf.Name:
		gen.prodIn(x.String, depth-1, lexical)
	case *ebnf.Token:
		if lexical {
			gen.b.WriteString(x.String)
		} else {
			gen.tok(x.String)
		}
	case *ebnf.Range:
		lo, hi := []rune(x.Begin.String)[0], []rune(x.End.String)[0]
		gen.b.WriteRune(lo + rune(gen.r.IntN(int(hi-lo+1))))
	}
}

// hook generates the productions that carry a rule the grammar leaves to
// prose. It reports whether it did.
func (gen *generator) hook(name string, depth int) bool {
	switch name {
	case "Expr":
		if gen.inExpr {
			return false // inside parentheses: the whole expression is checked
		}
		gen.expr(depth, -1<<31, 1<<32-1)
		return true
	case "Program":
		for range 1 + gen.r.IntN(8) {
			gen.line("TextBody", depth)
		}
		for range gen.r.IntN(4) {
			sec := []string{"TextSection", "DataSection", "BssSection"}[gen.r.IntN(3)]
			gen.section = map[string]string{"TextSection": ".text", "DataSection": ".data", "BssSection": ".bss"}[sec]
			gen.tok(gen.section)
			gen.prod("EndOfLine", depth)
			for range gen.r.IntN(8) {
				gen.line(map[string]string{".text": "TextBody", ".data": "DataBody", ".bss": "BssBody"}[gen.section], depth)
			}
		}
		for _, l := range gen.pendingLabels() {
			gen.b.WriteString("\n" + l + ":")
		}
		return true
	case "LabelDef":
		l := gen.fresh("L")
		if gen.inMacro {
			l = gen.fresh("M") + `_\@` // unique to each expansion, and unlike any other label
		} else {
			gen.labels = append(gen.labels, l)
		}
		gen.tok(l + ":")
		return true
	case "Primary":
		// Numbers, characters, constants and parentheses; labels (whose
		// values are addresses) only where a jump or an address goes, so
		// that arithmetic on them cannot leave 32 bits.
		switch k := gen.r.IntN(5); {
		case k == 0 && depth > 0:
			gen.tok("(")
			gen.prod("Expr", depth-1)
			gen.tok(")")
		case k == 1:
			gen.prod("char", depth)
		case k == 2 && len(gen.consts) > 0:
			gen.tok(gen.consts[gen.r.IntN(len(gen.consts))])
		case k == 3:
			gen.tok([]string{"STDOUT", "SYS_WRITE", "O_APPEND", "ENOENT"}[gen.r.IntN(4)])
		default:
			gen.tok(fmt.Sprint(gen.r.IntN(8)))
		}
		return true
	case "MulExpr", "ShiftExpr":
		// The right operand of / % << >> is a small positive number:
		// no division by zero, no shift out of range.
		operand := map[string]string{"MulExpr": "UnaryExpr", "ShiftExpr": "AddExpr"}[name]
		gen.prod(operand, depth)
		for i := gen.r.IntN(3); i > 0 && depth > 0; i-- {
			if name == "ShiftExpr" {
				gen.tok([]string{"<<", ">>"}[gen.r.IntN(2)])
				gen.tok(fmt.Sprint(1 + gen.r.IntN(7)))
				continue
			}
			switch op := []string{"*", "/", "%"}[gen.r.IntN(3)]; op {
			case "*":
				gen.tok(op)
				gen.prod(operand, depth-1)
			default:
				gen.tok(op)
				gen.tok(fmt.Sprint(1 + gen.r.IntN(7)))
			}
		}
		return true
	case "JumpInstr", "BranchInstr":
		if name == "JumpInstr" {
			gen.tok([]string{"jmp", "call"}[gen.r.IntN(2)])
		} else {
			gen.prod("BranchOp", depth)
			gen.prod("Register", depth)
			gen.tok(",")
			gen.prod("Src", depth)
			gen.tok(",")
		}
		gen.target()
		return true
	case "Memory":
		gen.tok("[")
		switch gen.r.IntN(3) {
		case 0:
			gen.prod("Register", depth)
		case 1:
			gen.prod("Register", depth)
			gen.tok([]string{"+", "-"}[gen.r.IntN(2)])
			gen.prod("Expr", depth-1)
		default:
			gen.target()
		}
		gen.tok("]")
		return true
	case "DataDirective":
		switch gen.r.IntN(4) {
		case 0:
			gen.tok(".byte")
			gen.list(1+gen.r.IntN(4), func() {
				if gen.r.IntN(2) == 0 {
					gen.prod("char", depth)
				} else {
					gen.tok(fmt.Sprint(gen.r.IntN(256) - 64))
				}
			})
		case 1:
			gen.tok(".word")
			gen.list(1+gen.r.IntN(4), func() {
				if gen.r.IntN(3) == 0 {
					gen.target()
				} else {
					gen.prod("Expr", depth-1)
				}
			})
		case 2:
			gen.tok([]string{".ascii", ".asciz"}[gen.r.IntN(2)])
			gen.prod("string", depth)
			for range gen.r.IntN(2) {
				gen.tok(",")
				gen.prod("string", depth)
			}
		default:
			gen.prod("SpaceDirective", depth)
		}
		return true
	case "SpaceDirective":
		if gen.r.IntN(2) == 0 {
			gen.tok(".align " + fmt.Sprint(1<<gen.r.IntN(4)))
		} else {
			gen.tok([]string{".space", ".zero"}[gen.r.IntN(2)] + " " + fmt.Sprint(gen.r.IntN(64)))
		}
		return true
	case "AnyDirective":
		switch k := gen.r.IntN(6); {
		case k == 0 && !gen.inMacro && depth > 2:
			gen.prod("MacroDef", depth)
		case k == 1 && !gen.inMacro:
			f := gen.fresh("inc") + ".s"
			c := gen.fresh("INC")
			v := gen.r.IntN(100)
			gen.files[f] = []byte("; included\n.equ " + c + ", " + fmt.Sprint(v) + "\n")
			gen.consts = append(gen.consts, c)
			gen.values[c] = int64(v)
			gen.tok(`.include "` + f + `"`)
		case k == 2 && len(gen.labels) > 0:
			gen.tok([]string{".global", ".globl"}[gen.r.IntN(2)] + " " + gen.labels[gen.r.IntN(len(gen.labels))])
		default:
			if gen.inMacro {
				return gen.hook("DataDirective", depth)
			}
			c := gen.fresh("K")
			gen.tok(".equ " + c + ",")
			// After the definition: no constant is defined in terms of itself.
			gen.values[c] = gen.expr(depth-1, -1<<20, 1<<20)
			gen.consts = append(gen.consts, c)
		}
		return true
	case "MacroDef":
		m := gen.fresh("mac")
		nparams := gen.r.IntN(3)
		gen.tok(".macro " + m)
		var params []string
		for i := range nparams {
			params = append(params, fmt.Sprintf("p%d", i))
		}
		gen.tok(strings.Join(params, ", "))
		gen.prod("EndOfLine", depth)
		gen.inMacro = true
		for range gen.r.IntN(4) {
			gen.line("TextBody", depth-2)
		}
		for _, p := range params { // the parameters are immediates in the body
			gen.tok(`mov r1, \` + p)
			gen.prod("EndOfLine", depth)
		}
		gen.inMacro = false
		gen.tok(".endm")
		gen.macros[m] = nparams
		return true
	case "MacroCall":
		var names []string
		for m := range gen.macros {
			names = append(names, m)
		}
		sort.Strings(names)
		if len(names) == 0 || gen.inMacro {
			gen.tok("nop")
			return true
		}
		m := names[gen.r.IntN(len(names))]
		gen.tok(m)
		gen.list(gen.macros[m], func() { gen.tok(fmt.Sprint(gen.r.IntN(100))) })
		return true
	}
	return false
}

// expr walks Expr until it gives an expression whose value lies in
// [lo, hi] (the range is a rule of the place it is used, not of the
// grammar), and returns that value. The value is worked out by a small
// evaluator of its own, not the assembler's.
func (gen *generator) expr(depth int, lo, hi int64) int64 {
	depth = min(depth, 4) // expressions of a few terms: lines stay readable
	gen.inExpr = true
	defer func() { gen.inExpr = false }()
	mark := gen.b.Len()
	for range 20 {
		gen.walk(gen.g["Expr"].Expr, depth, false)
		text := gen.b.String()[mark:]
		if v, ok := evalGenerated(text, gen.values); ok && v >= lo && v <= hi {
			return v
		}
		s := gen.b.String()[:mark]
		gen.b.Reset()
		gen.b.WriteString(s)
	}
	gen.tok("1")
	return 1
}

// evalGenerated evaluates an expression the generator wrote (tokens apart
// by spaces), with C precedence. ok is false for an overflow of 2^40 at any
// step, which no generated program needs.
func evalGenerated(text string, values map[string]int64) (int64, bool) {
	toks := genTokens(text)
	i := 0
	ok := true
	check := func(v int64) int64 {
		if v > 1<<40 || v < -1<<40 {
			ok = false
		}
		return v
	}
	levels := [][]string{{"|"}, {"^"}, {"&"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}}
	var level func(n int) int64
	var unary func() int64
	unary = func() int64 {
		if i >= len(toks) {
			ok = false
			return 0
		}
		t := toks[i]
		i++
		switch {
		case t == "-":
			return check(-unary())
		case t == "~":
			return ^unary()
		case t == "+":
			return unary()
		case t == "(":
			v := level(0)
			i++ // ")"
			return v
		case t[0] == '\'':
			return charValue(t)
		case t[0] >= '0' && t[0] <= '9':
			var v int64
			fmt.Sscan(t, &v)
			return v
		}
		v, known := values[t]
		ok = ok && known
		return v
	}
	level = func(n int) int64 {
		if n == len(levels) {
			return unary()
		}
		x := level(n + 1)
		for i < len(toks) && contains(levels[n], toks[i]) {
			op := toks[i]
			i++
			y := level(n + 1)
			switch op {
			case "|":
				x |= y
			case "^":
				x ^= y
			case "&":
				x &= y
			case "<<":
				x = check(x << y)
			case ">>":
				x >>= y
			case "+":
				x = check(x + y)
			case "-":
				x = check(x - y)
			case "*":
				x = check(x * y)
			case "/":
				x /= y
			case "%":
				x %= y
			}
		}
		return x
	}
	v := level(0)
	return v, ok && i == len(toks)
}

// genTokens splits what the generator wrote at spaces, keeping a character
// literal (which may be a space) whole.
func genTokens(text string) []string {
	var toks []string
	for i := 0; i < len(text); {
		switch c := text[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '\'':
			j := i + 1
			if j < len(text) && text[j] == '\\' {
				j++
			}
			j++
			for j < len(text) && text[j] != '\'' {
				j++
			}
			toks = append(toks, text[i:min(j+1, len(text))])
			i = j + 1
		default:
			j := i
			for j < len(text) && text[j] != ' ' && text[j] != '\t' {
				j++
			}
			toks = append(toks, text[i:j])
			i = j
		}
	}
	return toks
}

// charValue is the value of a character literal the generator wrote.
func charValue(t string) int64 {
	body := t[1 : len(t)-1]
	if body[0] != '\\' {
		return int64(body[0])
	}
	switch body[1] {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	case '0':
		return 0
	case 'x':
		var v int64
		fmt.Sscanf(body[2:], "%x", &v)
		return v
	}
	return int64(body[1])
}

// list writes n items separated by commas.
func (gen *generator) list(n int, item func()) {
	for i := range n {
		if i > 0 {
			gen.tok(",")
		}
		item()
	}
}

// line generates one line of body (TextBody, DataBody or BssBody): the
// repetition's body, with its labels, statement and end of line.
func (gen *generator) line(body string, depth int) {
	rep := gen.g[body].Expr.(*ebnf.Repetition)
	gen.walk(rep.Body, depth, false)
}

// target is an address: a label, defined already or to be defined at the
// end, or now and then '.', the address of the statement itself.
func (gen *generator) target() {
	if gen.r.IntN(8) == 0 {
		gen.tok(".")
		return
	}
	if len(gen.labels) > 0 && gen.r.IntN(4) > 0 {
		gen.tok(gen.labels[gen.r.IntN(len(gen.labels))])
		return
	}
	gen.tok("T" + fmt.Sprint(gen.r.IntN(4)))
}

// pendingLabels are the targets T0-T3 that the program refers to.
func (gen *generator) pendingLabels() []string {
	var out []string
	for i := range 4 {
		l := "T" + fmt.Sprint(i)
		if regexp.MustCompile(`\b` + l + `\b`).MatchString(gen.b.String()) {
			out = append(out, l)
		}
	}
	return out
}
