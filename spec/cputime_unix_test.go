//go:build unix

package spec

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user and system) that this process has
// used, its own threads' GC included: unlike the wall clock, it does not
// count the time other processes take on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
