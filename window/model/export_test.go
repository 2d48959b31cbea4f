package model

// ThreadsRemembered is how many threads the timeline keeps lanes for: the
// tests check it stays bounded.
func (m *Model) ThreadsRemembered() int { return len(m.timeline.threads) }
