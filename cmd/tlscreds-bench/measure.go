package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"
)

// usage is what one measured run cost: wall time, CPU time (user+sys of
// every child process) and the largest peak RSS of any child.
type usage struct {
	Wall, CPU time.Duration
	MaxRSS    int64 // bytes
	Procs     int   // child processes run
	Status    int   // exit status (one: the measured command's)
}

// runner runs commands through the rusage helper (cmd/tlscreds-bench/rusage),
// so that a child's peak RSS is its own and not the harness's.
type runner struct {
	helper string
}

// one runs argv with stdout discarded and returns what it cost. A non-zero
// exit is an error carrying the command's stderr.
func (r runner) one(argv ...string) (usage, error) {
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return usage{}, err
	}
	rd, wr, err := os.Pipe()
	if err != nil {
		return usage{}, err
	}
	defer rd.Close()
	cmd := exec.Command(r.helper, append([]string{path}, argv[1:]...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr // stdout: nil is /dev/null
	cmd.ExtraFiles = []*os.File{wr}
	err = cmd.Start()
	wr.Close()
	if err != nil {
		return usage{}, err
	}
	report, _ := io.ReadAll(rd)
	waitErr := cmd.Wait()
	var (
		u               usage
		wall, user, sys int64
		rssKiB          int64
		status          int
	)
	if _, err := fmt.Sscanf(string(report), "wall_ns=%d user_ns=%d sys_ns=%d maxrss_kib=%d status=%d",
		&wall, &user, &sys, &rssKiB, &status); err != nil {
		return u, fmt.Errorf("%s: no usage report (%v): %s", argv[0], waitErr, bytes.TrimSpace(stderr.Bytes()))
	}
	u = usage{Wall: time.Duration(wall), CPU: time.Duration(user + sys), MaxRSS: rssKiB * 1024, Procs: 1, Status: status}
	if status != 0 {
		msg := bytes.TrimSpace(stderr.Bytes())
		if len(msg) > 400 {
			msg = append(msg[:400], "..."...)
		}
		return u, fmt.Errorf("%s: exit status %d: %s", strings.Join(argv, " "), status, msg)
	}
	return u, nil
}

// each runs argv(dir) for every dir, jobs processes at a time, and
// returns the wall time of the whole batch and the CPU time summed over
// the processes. It starts them directly, not through the helper, whose
// start would add a millisecond to every short process; so it does not
// measure peak RSS (the one-directory runs of the same tool do).
func (r runner) each(dirs []string, jobs int, argv func(dir string) []string) (usage, error) {
	var (
		mu    sync.Mutex
		total usage
		first error
		next  int
		wg    sync.WaitGroup
	)
	start := time.Now()
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				if next >= len(dirs) || first != nil {
					mu.Unlock()
					return
				}
				dir := dirs[next]
				next++
				mu.Unlock()
				a := argv(dir)
				cmd := exec.Command(a[0], a[1:]...)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				err := cmd.Run()
				mu.Lock()
				if cmd.ProcessState != nil {
					total.CPU += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
					total.Procs++
				}
				if err != nil && first == nil {
					first = fmt.Errorf("%s: %w: %s", strings.Join(a, " "), err, bytes.TrimSpace(stderr.Bytes()))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	total.Wall = time.Since(start)
	return total, first
}

// sample picks k dirs spread evenly over dirs (all of them when k >= len).
func sample(dirs []string, k int) []string {
	if k <= 0 || k >= len(dirs) {
		return dirs
	}
	out := make([]string, k)
	for i := range out {
		out[i] = dirs[i*len(dirs)/k]
	}
	return out
}

// median of durations (the lower middle for an even count).
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// summary is the result of one tool over the rounds: the medians of wall
// and CPU time, and the largest peak RSS seen.
type summary struct {
	Wall, CPU time.Duration
	MaxRSS    int64
	Rounds    int
	// Scale is how many dirs each measured run covered; for a sample it
	// is less than the tree and the numbers above are extrapolated.
	Measured, Dirs int
}

func summarize(runs []usage, measured, dirs int) summary {
	var walls, cpus []time.Duration
	var rss int64
	for _, u := range runs {
		walls, cpus = append(walls, u.Wall), append(cpus, u.CPU)
		rss = max(rss, u.MaxRSS)
	}
	s := summary{Wall: median(walls), CPU: median(cpus), MaxRSS: rss, Rounds: len(runs), Measured: measured, Dirs: dirs}
	if measured > 0 && measured < dirs {
		f := float64(dirs) / float64(measured)
		s.Wall = time.Duration(float64(s.Wall) * f)
		s.CPU = time.Duration(float64(s.CPU) * f)
	}
	return s
}

// dirsPerSec is the throughput the summary stands for.
func (s summary) dirsPerSec() float64 {
	if s.Wall <= 0 {
		return 0
	}
	return float64(s.Dirs) / s.Wall.Seconds()
}
