//go:build !unix

package spec

import "time"

var start = time.Now()

// cpuTime returns the wall time since the tests started, where the CPU
// time of the process is not available.
func cpuTime() time.Duration { return time.Since(start) }
