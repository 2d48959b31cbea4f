package asm

import "strings"

// "Did you mean" suggestions. A misspelt name is compared with the names
// that would have been valid in its place by optimal string alignment
// distance (Levenshtein plus swapping two neighbours, so "mvo" finds "mov").

// maxSuggestLen skips suggestions for very long names: they cost
// quadratic time and are never typos of short ones anyway.
const maxSuggestLen = 64

// suggest returns the candidate closest to name, or "" if none is close:
// at most two edits away and fewer edits than name has characters. Ties go
// to the alphabetically first candidate, so the result never depends on the
// order of a map.
func suggest(name string, candidates []string) string {
	if len(name) > maxSuggestLen {
		return ""
	}
	best, bestD := "", 0
	for _, c := range candidates {
		if c == name || abs(len(c)-len(name)) > 2 {
			continue
		}
		d := editDistance(name, c)
		if strings.EqualFold(name, c) {
			d = 1 // only the case differs: the likeliest slip of all
		}
		if d > 2 || d >= len(name) && !strings.EqualFold(name, c) {
			continue
		}
		if best == "" || d < bestD || d == bestD && c < best {
			best, bestD = c, d
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the optimal string alignment distance between a and b,
// counting bytes.
func editDistance(a, b string) int {
	// Three rows: the one two back is needed for transpositions.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
