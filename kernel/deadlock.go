package kernel

import "fmt"

// reportDeadlock explains, one line per blocked thread, why nobody can run.
func (k *Kernel) reportDeadlock() {
	k.printf("vcpu: deadlock: every remaining thread is blocked\n")
	for _, line := range k.blockedThreads() {
		k.printf("  %s\n", line)
	}
}

// blockedThreads describes every blocked thread and what it waits for, in
// pid and tid order. The names a guest chose in it are escaped already
// (Process.String, addrName), as in every line of the kernel's.
func (k *Kernel) blockedThreads() []string {
	var lines []string
	for _, p := range k.procs {
		for _, t := range p.Threads {
			if t.State == Blocked {
				lines = append(lines, fmt.Sprintf("%s tid %d waits for %s", p, t.TID, k.describeWait(t)))
			}
		}
	}
	return lines
}
