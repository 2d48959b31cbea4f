package cpu_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"vcpu/cpu"
)

var update = flag.Bool("update", false, "rewrite the generated instruction table in docs/ISA.md")

const (
	isaDoc      = "../docs/ISA.md"
	tableBegin  = "<!-- BEGIN generated from cpu.Instructions by `go test ./cpu -run TestISADoc -update` -->\n"
	tableEnd    = "<!-- END generated -->\n"
	modeChecked = cpu.ModeImm | cpu.ModeAbs | cpu.ModeTarget
)

// operands is how the assembler writes each format's operands.
var operands = map[cpu.Format]string{
	cpu.FmtNone:        "",
	cpu.FmtRdRsSrc:     "rd, rs, src",
	cpu.FmtRdSrc:       "rd, src",
	cpu.FmtRdRs:        "rd, rs",
	cpu.FmtRd:          "rd",
	cpu.FmtRegMem:      "reg, addr",
	cpu.FmtSrc:         "src",
	cpu.FmtTarget:      "target",
	cpu.FmtRsSrcTarget: "rs, src, label",
}

// formName names an operand mode as the table shows it.
func formName(f cpu.Format, m cpu.Mode) string {
	switch {
	case m == cpu.ModeImm:
		return "imm"
	case m == cpu.ModeAbs:
		return "[abs]"
	case m == cpu.ModeTarget:
		return "reg"
	case f == cpu.FmtRegMem:
		return "[rs+d]"
	case f == cpu.FmtTarget:
		return "label"
	case f == cpu.FmtRdRsSrc || f == cpu.FmtRdSrc || f == cpu.FmtSrc || f == cpu.FmtRsSrcTarget:
		return "reg"
	}
	return ""
}

// isaTable renders cpu.Instructions as the Markdown table of docs/ISA.md:
// opcode byte, mnemonic, operands, each mode it takes with its encoded
// size, and the meaning.
func isaTable() string {
	var b strings.Builder
	b.WriteString(tableBegin)
	b.WriteString("| op | mnemonic | operands | bytes by form | meaning |\n")
	b.WriteString("| ---: | --- | --- | --- | --- |\n")
	for op := cpu.Opcode(0); op < cpu.NumOpcodes; op++ {
		info := cpu.Instructions[op]
		var forms []string
		for m := cpu.Mode(0); m <= modeChecked; m++ {
			if (cpu.Inst{Op: op, Mode: m}).Valid() == nil {
				forms = append(forms, strings.TrimSpace(fmt.Sprintf("%s %d", formName(info.Format, m), cpu.Size(op, m))))
			}
		}
		ops := operands[info.Format]
		if ops != "" {
			ops = "`" + ops + "`"
		}
		fmt.Fprintf(&b, "| 0x%02x | `%s` | %s | %s | %s |\n", uint8(op), info.Name, ops, strings.Join(forms, ", "),
			strings.ReplaceAll(info.Meaning, "|", "\\|"))
	}
	b.WriteString(tableEnd)
	return b.String()
}

// TestISADoc checks that docs/ISA.md carries the table generated from
// cpu.Instructions (with -update, it rewrites it) and names every mnemonic.
func TestISADoc(t *testing.T) {
	raw, err := os.ReadFile(isaDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	i, j := strings.Index(doc, tableBegin), strings.Index(doc, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("%s has no generated table between %q and %q", isaDoc, tableBegin, tableEnd)
	}
	want := isaTable()
	if got := doc[i : j+len(tableEnd)]; got != want {
		if !*update {
			t.Fatalf("the instruction table in %s is stale; run go test ./cpu -run TestISADoc -update\n got:\n%s\nwant:\n%s", isaDoc, got, want)
		}
		doc = doc[:i] + want + doc[j+len(tableEnd):]
		if err := os.WriteFile(isaDoc, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for op := cpu.Opcode(0); op < cpu.NumOpcodes; op++ {
		if name := cpu.Instructions[op].Name; !strings.Contains(doc, "`"+name+"`") {
			t.Errorf("%s does not mention `%s`", isaDoc, name)
		}
	}
}
