package model

// OutputTail is the guest output keeper, for the regression test of
// issue 8's finding 5.
type OutputTail = outputTail

func NewOutputTail(n int) *OutputTail { return newOutputTail(discard{}, n) }

func (t *outputTail) Write(b []byte) (int, error) { return t.write(b, false) }

func (t *outputTail) Partial() int {
	n := 0
	for _, p := range t.partial {
		n += cap(p.buf)
	}
	return n
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }

// RepaintTimeline makes the next frame paint the timeline's image whole.
func (s *Session) RepaintTimeline() { s.model.timeline.key = renderKey{} }
