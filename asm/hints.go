package asm

import (
	"fmt"
	"strings"
)

// Hints for the traps beginners fall into, added to the error they cause:
// a '#' before an immediate (it starts a comment here), a label where a
// register belongs, and mov used for a load or a store. Each is phrased as
// what to write instead.

// hashHint explains an error caused by "mov r1, #5": the '#' starts a
// comment, so the operand seems missing. It applies when the error points
// at or after the comment and the comment starts with what looks like an
// operand ("#5", "#-1", "#LEN", "#'a'"), not with a space.
func hashHint(line string, err *posErr) *posErr {
	c := commentStart(line)
	if err == nil || c >= len(line)-1 || line[c] != '#' || err.off < len(strings.TrimRight(line[:c], " \t")) {
		return err
	}
	next := line[c+1]
	if !isIdentChar(next) && !strings.ContainsRune("-~'(", rune(next)) {
		return err
	}
	word := line[c+1:]
	if i := strings.IndexAny(word, " \t,;"); i >= 0 {
		word = word[:i]
	}
	err.msg += fmt.Sprintf(" ('#' starts a comment: an immediate needs no '#', write %s)", word)
	return err
}

// movHint says which instruction moves between a register and memory, for
// mov given a memory operand: operand i of args (on line) is the memory one.
func movHint(args []operand, i int, line string) string {
	mem := args[i].text(line)
	if i == 0 {
		if len(args) > 1 && args[1].kind == oReg {
			return fmt.Sprintf(" (st stores a register to memory: st %s, %s; stb stores its low byte)", args[1].text(line), mem)
		}
		return fmt.Sprintf(" (st stores a register to memory: st rs, %s; stb stores a byte)", mem)
	}
	return fmt.Sprintf(" (ld loads a word from memory: ld %s, %s; ldb loads a byte)", args[0].text(line), mem)
}

// registerHint is the suggestion for a name written where a register
// belongs, decided at parse time only when the name is one edit from a
// register's ("rr1", "spp"); otherwise "" and the name waits for the
// labels (labelHints), since "Msg" is likelier a misspelt label msg than sp.
func registerHint(name string) string {
	s := nearRegister(name)
	if s == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", s)
}

// nearRegister is the register name one edit from name ("rr1" -> "r1"),
// or "": the only distance at which a register is suggested, so that a
// misspelt label never gets one.
func nearRegister(name string) string {
	lower := strings.ToLower(name)
	if s := suggest(lower, registerNames); s != "" && editDistance(lower, s) <= 1 {
		return s
	}
	return ""
}

// labelHint is an error waiting for the label table to say whether the
// word it complains about is a (misspelt) label.
type labelHint struct {
	err  *Error
	name string
}

// finishHints completes the waiting hints once every symbol is defined.
func (a *assembler) finishHints() {
	for _, h := range a.labelHints {
		if s := a.symbols[h.name]; s != nil {
			what := "label"
			if s.equ != nil {
				what = "constant"
			}
			h.err.Msg += fmt.Sprintf(" (%s is a %s, a value, not a register: mov r1, %s puts it in one)", h.name, what, h.name)
			continue
		}
		if s := suggest(h.name, a.symbolNames()); s != "" {
			h.err.Msg += fmt.Sprintf(" (did you mean the label %q? a label is a value, not a register: mov r1, %s puts it in one)", s, s)
		}
	}
}

// suggestSymbol is the "did you mean" for an undefined name: the program's
// labels and the predefined names first; a register only when one edit
// away (rr1 -> r1), so that a misspelt label never gets a register.
func (a *assembler) suggestSymbol(name string) string {
	if s := suggest(name, a.symbolNames()); s != "" {
		return s
	}
	return nearRegister(name)
}
