package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/tlscreds/tlscreds/creds/keyval"
)

// measurement holds what one harness run measured.
type measurement struct {
	cfg         config
	bins        map[string]string // "tlscreds", "floor", "rusage" -> built binary
	run         runner
	tree, small string
	dirs        []string
	started     time.Time

	tools      []*tool
	oneDir     map[string]time.Duration // tool key -> median one-dir wall time
	oneDirRSS  map[string]int64         // tool key -> largest one-dir peak RSS
	goBench    benchResults
	goBenchCmd string
	scaled     []scalePoint // the shared-CA trees, by size
	loadStart  string       // /proc/loadavg's 1-minute figure when the run began

	wideRes     *wideResult
	manifestRes []manifestPoint
	pairRes     *pairResult
	startupRes  *startupResult
	exporterRes *exporterResult
}

// tool is one measured command over the tree.
type tool struct {
	key, label string
	// measured is how many dirs one run covers; dirs how many the
	// summary stands for (more when a sample is extrapolated).
	measured, dirs int
	// perDir tools start one process per directory.
	perDir bool
	run    func() (usage, error)
	runs   []usage
}

func (m *measurement) qemuObject(dir string) string {
	return keyval.Object("tls-creds-x509", "id", "tls0", "endpoint", "server", "verify-peer", "yes", "dir", dir)
}

func (m *measurement) opensslArgv(dir string) []string {
	return []string{"openssl", "verify", "-CAfile", filepath.Join(dir, "ca-cert.pem"), filepath.Join(dir, "server-cert.pem")}
}

func (m *measurement) qemuArgv(dir string) []string {
	return []string{"qemu-img", "info", "--object", m.qemuObject(dir), "--image-opts", "driver=null-co"}
}

func (m *measurement) setupTools() {
	n, jobs := len(m.dirs), m.cfg.jobs
	qsample := sample(m.dirs, m.cfg.qemuSample)
	m.tools = []*tool{
		{key: "lint", label: "tlscreds lint -r (all cores)", measured: n, dirs: n,
			run: func() (usage, error) { return m.run.one(m.bins["tlscreds"], "lint", "-r", "--format", "json", m.tree) }},
		{key: "floor", label: "floor: parse + verify signatures (all cores)", measured: n, dirs: n,
			run: func() (usage, error) { return m.run.one(m.bins["floor"], m.tree) }},
		{key: "openssl", label: fmt.Sprintf("openssl verify, per dir (%d in parallel)", jobs), measured: n, dirs: n, perDir: true,
			run: func() (usage, error) { return m.run.each(m.dirs, jobs, m.opensslArgv) }},
		{key: "qemu", label: fmt.Sprintf("qemu-img info, per dir (%d in parallel; %d sampled, extrapolated)", jobs, len(qsample)),
			measured: len(qsample), dirs: n, perDir: true,
			run: func() (usage, error) { return m.run.each(qsample, jobs, m.qemuArgv) }},
	}
	if m.small != "" {
		m.tools = append(m.tools, &tool{key: "lint-small", label: fmt.Sprintf("tlscreds lint -r, %d dirs (all cores)", m.cfg.rssN),
			measured: m.cfg.rssN, dirs: m.cfg.rssN,
			run: func() (usage, error) { return m.run.one(m.bins["tlscreds"], "lint", "-r", "--format", "json", m.small) }})
	}
}

// warmUp runs lint and the floor once, unmeasured: it brings the tree
// into the page cache and checks that both see every directory as good.
func (m *measurement) warmUp(logf func(string, ...any)) error {
	logf("warm-up: checking the tree with tlscreds lint and the floor ...")
	if _, err := m.run.one(m.bins["tlscreds"], "lint", "-r", "--format", "json", m.tree); err != nil {
		return fmt.Errorf("lint must pass on the generated tree: %w", err)
	}
	out, err := exec.Command(m.bins["floor"], m.tree).CombinedOutput()
	if err != nil {
		return fmt.Errorf("floor: %w: %s", err, out)
	}
	want := fmt.Sprintf("%d dirs verified, 0 failed", len(m.dirs))
	if got := string(bytes.TrimSpace(out)); got != want {
		return fmt.Errorf("floor printed %q, want %q", got, want)
	}
	for _, argv := range [][]string{m.opensslArgv(m.dirs[0]), m.qemuArgv(m.dirs[0])} {
		if _, err := m.run.one(argv...); err != nil {
			return fmt.Errorf("the generated tree must be accepted: %w", err)
		}
	}
	return nil
}

// rounds measures every tool once per round; round r starts with tool r
// (mod the number of tools), so no tool always runs right after another.
// A whole-tree tool (lint, the floor) first reads the tree once, untimed:
// this sandbox's file cache does not keep the tree's 40,000 files between
// tools, and a tool that ran right after the per-directory tools otherwise
// paid for reading them back (lint rounds of 0.83 s and 1.45 s in one
// run). Both tools get the same warm tree; per-directory tools start a
// process per directory and are dominated by that.
func (m *measurement) rounds(logf func(string, ...any)) error {
	for r := range m.cfg.rounds {
		for i := range m.tools {
			t := m.tools[(r+i)%len(m.tools)]
			if !t.perDir {
				if _, err := t.run(); err != nil {
					return fmt.Errorf("%s (warm-up): %w", t.label, err)
				}
			}
			u, err := t.run()
			if err != nil {
				return fmt.Errorf("%s: %w", t.label, err)
			}
			t.runs = append(t.runs, u)
			rss := ""
			if !t.perDir {
				rss = ", peak RSS " + mib(u.MaxRSS)
			}
			logf("round %d/%d: %-10s %8.2f s wall, %8.2f s CPU%s", r+1, m.cfg.rounds, t.key, u.Wall.Seconds(), u.CPU.Seconds(), rss)
		}
	}
	return nil
}

// oneDirTimes runs each tool's process on one directory at a time, over
// directories spread through the tree, alternating tools; it keeps the
// median wall time and the largest peak RSS (the per-directory tools'
// peak RSS in the table comes from here).
func (m *measurement) oneDirTimes(logf func(string, ...any)) error {
	argvs := []struct {
		key  string
		argv func(dir string) []string
	}{
		{"lint", func(dir string) []string { return []string{m.bins["tlscreds"], "lint", dir} }},
		{"floor", func(dir string) []string { return []string{m.bins["floor"], dir} }},
		{"openssl", m.opensslArgv},
		{"qemu", m.qemuArgv},
	}
	walls := map[string][]time.Duration{}
	m.oneDirRSS = map[string]int64{}
	for _, dir := range sample(m.dirs, m.cfg.oneDir) {
		for _, a := range argvs {
			u, err := m.run.one(a.argv(dir)...)
			if err != nil {
				return err
			}
			walls[a.key] = append(walls[a.key], u.Wall)
			m.oneDirRSS[a.key] = max(m.oneDirRSS[a.key], u.MaxRSS)
		}
	}
	m.oneDir = map[string]time.Duration{}
	for k, ws := range walls {
		m.oneDir[k] = median(ws)
	}
	logf("one dir (median of %d): lint %s, floor %s, openssl %s, qemu-img %s", len(walls["lint"]),
		ms(m.oneDir["lint"]), ms(m.oneDir["floor"]), ms(m.oneDir["openssl"]), ms(m.oneDir["qemu"]))
	return nil
}

func (m *measurement) summary(key string) (summary, bool) {
	for _, t := range m.tools {
		if t.key == key {
			s := summarize(t.runs, t.measured, t.dirs)
			if rss, ok := m.oneDirRSS[key]; ok && t.perDir {
				s.MaxRSS = rss
			}
			return s, true
		}
	}
	return summary{}, false
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
