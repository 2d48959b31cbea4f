package kernel

import "fmt"

// Check verifies the kernel's invariants and reports the first one broken:
// every frame mapped by exactly one live process, which the frame table
// names as its owner; the free count right; every thread in the place its
// state says. Tests and fuzzers call it after every run, so isolation is
// checked on the machine's own tables, not only on what guests print.
func (k *Kernel) Check() error {
	mappedBy := make([]int, len(k.frames.owners))
	for _, p := range k.procs {
		if p.AS == nil {
			continue
		}
		var err error
		p.AS.PT.Range(func(vpn, frame uint32) {
			switch {
			case err != nil:
			case !p.Live():
				err = fmt.Errorf("%s has ended but still maps frame %d", p, frame)
			case mappedBy[frame] != 0:
				err = fmt.Errorf("frame %d mapped by pid %d and %s", frame, mappedBy[frame], p)
			case k.frames.owners[frame].PID != p.PID:
				err = fmt.Errorf("frame %d mapped by %s but owned by pid %d", frame, p, k.frames.owners[frame].PID)
			}
			mappedBy[frame] = p.PID
		})
		if err != nil {
			return err
		}
	}
	free := 0
	for f, o := range k.frames.owners {
		if o.PID == 0 {
			free++
		} else if mappedBy[f] == 0 {
			return fmt.Errorf("frame %d owned by pid %d but mapped by nobody", f, o.PID)
		}
	}
	if free != k.frames.free {
		return fmt.Errorf("%d frames free, table says %d", free, k.frames.free)
	}
	ready := map[*Thread]bool{}
	for _, t := range k.ready.Ready() {
		ready[t] = true
	}
	for _, p := range k.procs {
		for _, t := range p.Threads {
			switch {
			case ready[t] != (t.State == Ready):
				return fmt.Errorf("tid %d is %s but ready-queued: %v", t.TID, t.State, ready[t])
			case (t == k.cur) != (t.State == Running):
				return fmt.Errorf("tid %d is %s but current: %v", t.TID, t.State, t == k.cur)
			case t.State == Blocked && t.queue == nil:
				return fmt.Errorf("tid %d is blocked on no wait queue", t.TID)
			case t.State == Exited && p.Live() && t.Stack != nil:
				return fmt.Errorf("tid %d has exited but keeps its stack", t.TID)
			case t.State != Exited && !p.Live():
				return fmt.Errorf("tid %d is %s in ended %s", t.TID, t.State, p)
			}
		}
	}
	return k.checkImages()
}

// checkImages verifies the image counts: each image held is counted once
// per process record that runs it, and nothing else is held, so the last
// record to go frees it.
func (k *Kernel) checkImages() error {
	users := map[*loaded]int{}
	for _, p := range k.procs {
		if k.images[p.Program] != p.img {
			return fmt.Errorf("%s runs an image the machine does not hold", p)
		}
		users[p.img]++
	}
	for prog, l := range k.images {
		if l.prog != prog || l.refs != users[l] || l.refs == 0 {
			return fmt.Errorf("image of %q counted %d times, run by %d process records", l.prog.Name, l.refs, users[l])
		}
	}
	idle := map[*loaded]bool{}
	for _, l := range k.spawns.idle {
		if l.refs != 0 || k.images[l.prog] == l || idle[l] {
			return fmt.Errorf("idle image of %q is run by %d process records", l.prog.Name, l.refs)
		}
		idle[l] = true
	}
	for path, l := range k.spawns.ok {
		if k.images[l.prog] != l && !idle[l] {
			return fmt.Errorf("spawn cache holds %s, which is neither in use nor idle", path)
		}
	}
	if len(k.spawns.idle) > maxIdle {
		return fmt.Errorf("%d idle images, more than %d", len(k.spawns.idle), maxIdle)
	}
	return nil
}
