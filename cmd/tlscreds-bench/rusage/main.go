// Command rusage runs one command and reports what it cost, for the
// tlscreds-bench harness: wall time, user and system CPU time, and peak
// RSS, written as one line to file descriptor 3.
//
// It exists because Linux counts a child's peak RSS from the moment it is
// forked: a child spawned by the harness directly would report the
// harness's own peak (tens of MiB after generating a tree) whenever its
// real peak is lower. Spawned from this small process it starts from
// about 2 MiB, below every tool measured.
//
// Usage: rusage PROGRAM [ARG...] (PROGRAM is a path, not looked up). The
// command gets stdin, stdout and stderr; rusage exits with its status.
package main

import (
	"fmt"
	"os"
	"syscall"
	"time"
)

func main() { os.Exit(run(os.Args)) }

func run(args []string) int {
	report := os.NewFile(3, "report")
	if len(args) < 2 || report == nil {
		fmt.Fprintln(os.Stderr, "usage: rusage PROGRAM [ARG...] (with file descriptor 3 open for the report)")
		return 2
	}
	// The command must not inherit the report pipe: the harness reads it
	// until every writer has closed it.
	syscall.CloseOnExec(3)
	start := time.Now()
	pid, err := syscall.ForkExec(args[1], args[1:], &syscall.ProcAttr{Env: os.Environ(), Files: []uintptr{0, 1, 2}})
	if err != nil {
		fmt.Fprintf(os.Stderr, "rusage: %s: %v\n", args[1], err)
		return 127
	}
	var (
		ws syscall.WaitStatus
		ru syscall.Rusage
	)
	for {
		_, err = syscall.Wait4(pid, &ws, 0, &ru)
		if err != syscall.EINTR {
			break
		}
	}
	wall := time.Since(start)
	if err != nil {
		fmt.Fprintf(os.Stderr, "rusage: wait: %v\n", err)
		return 127
	}
	status := ws.ExitStatus()
	if ws.Signaled() {
		status = 128 + int(ws.Signal())
	}
	fmt.Fprintf(report, "wall_ns=%d user_ns=%d sys_ns=%d maxrss_kib=%d status=%d\n",
		wall.Nanoseconds(), syscall.TimevalToNsec(ru.Utime), syscall.TimevalToNsec(ru.Stime), ru.Maxrss, status)
	return status
}
