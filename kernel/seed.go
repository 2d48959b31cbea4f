package kernel

// With Config.Seeded the timer is irregular, as real timer interrupts are:
// each quantum's length is drawn at its dispatch, so a race whose window
// is a few instructions wide is hit within a few seeds instead of hiding
// behind a quantum that divides the loop. The generator is SplitMix64, as
// docs/KERNEL.md fixes it, so a seed gives the same run on every host.

// splitMix64 is Steele, Lea and Flood's SplitMix64: one 64-bit add per
// draw and a good enough mix for picking quantum lengths.
type splitMix64 struct{ state uint64 }

func (g *splitMix64) next() uint64 {
	g.state += 0x9E3779B97F4A7C15
	z := g.state
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// quantum is the length of the quantum a dispatch starts: Config.Quantum,
// or with Config.Seeded a draw in 1..Quantum. Every dispatch draws, also
// when the thread that just gave up the CPU runs again.
func (k *Kernel) quantum() uint64 {
	if !k.cfg.Seeded {
		return k.cfg.Quantum
	}
	return 1 + k.rng.next()%k.cfg.Quantum
}
