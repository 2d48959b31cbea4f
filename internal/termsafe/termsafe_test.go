package termsafe_test

import (
	"testing"

	"vcpu/internal/termsafe"
)

func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"hello", "hello"},
		{"café", "café"},
		{"\x1b]0;owned\x07", `\x1b]0;owned\x07`},
		{"a\nb\tc\rd", `a\nb\tc\rd`},
		{"\x7f", `\x7f`},
		{"\u009b2J", `\x9b2J`}, // the one-character CSI
		{"bad\xffbyte", `bad\xffbyte`},
		{"", ""},
	}
	for _, tc := range tests {
		if got := termsafe.String(tc.in); got != tc.want {
			t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestQuote(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"hello, world\n", 32, `"hello, world\n"`},
		{"say \"hi\" \\ bye", 32, `"say \"hi\" \\ bye"`},
		{"\x1b[2J\x00\xff", 32, `"\x1b[2J\x00\xff"`},
		{"abcdefgh", 4, `"abcd"...`},
		{"", 32, `""`},
	}
	for _, tc := range tests {
		if got := termsafe.Quote([]byte(tc.in), tc.max); got != tc.want {
			t.Errorf("Quote(%q, %d) = %s, want %s", tc.in, tc.max, got, tc.want)
		}
	}
}

// String's output never holds a control character, whatever the input.
func FuzzString(f *testing.F) {
	f.Add("\x1b[31mred\x1b[0m")
	f.Add("\xc2\x9b")
	f.Add("Ⴣ\x1b")
	f.Fuzz(func(t *testing.T, s string) {
		out := termsafe.String(s)
		for i, r := range out {
			if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r == 0xFFFD && out[i] == 0xff {
				t.Fatalf("String(%q) = %q holds %U", s, out, r)
			}
		}
	})
}
