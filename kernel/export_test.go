package kernel

// ImagesHeld is how many program images the machine holds: what a spawn
// loop must not grow.
func (k *Kernel) ImagesHeld() int { return len(k.images) }
