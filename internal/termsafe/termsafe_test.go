package termsafe_test

import (
	"testing"

	"vcpu/internal/termsafe"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"tab\tkept", "tab\tkept"},
		{"\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"\x1b[2J\x1b[H", `\x1b[2J\x1b[H`},
		{"two\nlines\r", `two\nlines\r`},
		{"del\x7f", `del\x7f`},
		{"csi \u009b1m", `csi \u009b1m`},
		{"bad \xff byte", `bad \xff byte`},
		{"héllo wörld", "héllo wörld"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := termsafe.Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Escape's output never holds a control character, whatever the input.
func FuzzEscape(f *testing.F) {
	f.Add("\x1b[31mred\x1b[0m")
	f.Add("\xc2\x9b")
	f.Fuzz(func(t *testing.T, s string) {
		out := termsafe.Escape(s)
		for i, r := range out {
			if r < 0x20 && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 || r == 0xFFFD && out[i] == 0xff {
				t.Fatalf("Escape(%q) = %q holds %U", s, out, r)
			}
		}
	})
}
