package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// machine describes where the numbers were taken.
type machine struct {
	CPUs                           int
	CPUModel, Memory, Kernel, Go   string
	OpenSSL, QEMU, Commit, Command string
}

func describeMachine(root string, c config) machine {
	m := machine{CPUs: runtime.NumCPU(), Go: runtime.Version(), CPUModel: "unknown", Memory: "unknown", Kernel: "unknown"}
	if v := procField("/proc/cpuinfo", "model name"); v != "" {
		m.CPUModel = v
	}
	if v := procField("/proc/meminfo", "MemTotal"); v != "" {
		var kib int64
		if _, err := fmt.Sscanf(v, "%d kB", &kib); err == nil {
			m.Memory = fmt.Sprintf("%.1f GiB", float64(kib)/(1<<20))
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	m.OpenSSL = firstLine("openssl", "version")
	m.QEMU = firstLine("qemu-img", "--version")
	m.Commit = firstLine("git", "-C", root, "describe", "--always", "--dirty")
	m.Command = fmt.Sprintf("go run ./cmd/tlscreds-bench -n %d -rss-n %d -rounds %d -qemu-sample %d -jobs %d -scale %s -scale-rounds %d",
		c.n, c.rssN, c.rounds, c.qemuSample, c.jobs, strings.Trim(strings.Join(strings.Fields(fmt.Sprint(c.scale)), ","), "[]"), c.scaleRounds)
	return m
}

// loadAvg is the 1-minute load average from /proc/loadavg.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f, _, _ := strings.Cut(string(b), " ")
	return f
}

// procField returns the value of the first "key : value" line of a /proc file.
func procField(file, key string) string {
	f, err := os.Open(file)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func firstLine(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return "unknown"
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}

// target is one goal of docs/performance.md with what was measured.
type target struct {
	Goal, Measured string
	Met, Known     bool // Known is false when it could not be measured
}

// report is everything one run found, ready to print.
type report struct {
	m       *measurement
	machine machine
	date    time.Time
	rows    []row
	ratios  [][2]string
	targets []target
}

type row struct {
	label string
	s     summary
}

func (m *measurement) report(root string) *report {
	r := &report{m: m, machine: describeMachine(root, m.cfg), date: m.started.UTC()}
	for _, t := range m.tools {
		s, _ := m.summary(t.key)
		r.rows = append(r.rows, row{t.label, s})
	}
	lint, _ := m.summary("lint")
	floor, _ := m.summary("floor")
	openssl, _ := m.summary("openssl")
	qemu, _ := m.summary("qemu")
	ratio := func(a, b time.Duration) float64 { return a.Seconds() / b.Seconds() }
	tput := ratio(floor.Wall, lint.Wall)
	r.ratios = [][2]string{
		{"tlscreds / floor, throughput (dirs/s)", fmt.Sprintf("%.2f×", tput)},
		{"tlscreds / floor, CPU time per dir", fmt.Sprintf("%.2f×", ratio(lint.CPU, floor.CPU))},
		{"openssl verify / tlscreds, wall time", fmt.Sprintf("%.1f×", ratio(openssl.Wall, lint.Wall))},
		{"qemu-img info / tlscreds, wall time (extrapolated)", fmt.Sprintf("%.1f×", ratio(qemu.Wall, lint.Wall))},
	}

	note := ""
	if m.cfg.n != 10000 {
		note = fmt.Sprintf(" (at N = %d; the target is for 10,000)", m.cfg.n)
	}
	r.targets = append(r.targets, target{Goal: "lint throughput ≥ 1.0× the floor with a unique CA per directory (10,000 dirs)",
		Measured: fmt.Sprintf("%.2f×%s", tput, note), Met: tput >= 1.0, Known: true})
	for _, unique := range []bool{false, true} {
		line, kind := 1.2, "a shared-CA tree"
		if unique {
			line, kind = 1.0, "a tree with a unique CA per directory"
		}
		for _, want := range []int{10000, 50000} {
			t := target{Goal: fmt.Sprintf("lint throughput ≥ %.1f× the naive floor on %s of %d dirs", line, kind, want), Measured: "not run (-scale)"}
			for _, p := range m.scaled {
				if p.dirs == want && p.unique == unique {
					t.Measured, t.Met, t.Known = fmt.Sprintf("%.2f× (%.2f s vs %.2f s; CPU %.2f× the floor's)", p.ratio(), p.lint.Wall.Seconds(), p.floor.Wall.Seconds(), p.lint.CPU.Seconds()/p.floor.CPU.Seconds()), p.ratio() >= line, true
				}
			}
			r.targets = append(r.targets, t)
		}
	}
	var shared []scalePoint
	for _, p := range m.scaled {
		if !p.unique {
			shared = append(shared, p)
		}
	}
	if len(shared) > 1 {
		a, z := shared[0], shared[len(shared)-1]
		grow := float64(z.lint.MaxRSS) / float64(a.lint.MaxRSS)
		r.targets = append(r.targets, target{Goal: "lint peak RSS flat in the number of dirs on the shared-CA trees (met: at most 1.25×)",
			Measured: fmt.Sprintf("%s at %d, %s at %d (%.2f×)", mib(a.lint.MaxRSS), a.dirs, mib(z.lint.MaxRSS), z.dirs, grow), Met: grow <= 1.25, Known: true})
	}
	if small, ok := m.summary("lint-small"); ok {
		grow := float64(lint.MaxRSS) / float64(small.MaxRSS)
		r.targets = append(r.targets, target{Goal: "lint peak RSS does not grow with N (met: at most 1.25× for 10× the dirs)",
			Measured: fmt.Sprintf("%s at N = %d, %s at N = %d (%.2f×)", mib(small.MaxRSS), small.Dirs, mib(lint.MaxRSS), lint.Dirs, grow),
			Met:      grow <= 1.25, Known: true})
	}
	one := m.oneDir["lint"]
	r.targets = append(r.targets, target{Goal: "one-dir `tlscreds lint DIR` process wall time ≤ 15 ms",
		Measured: ms(one) + fmt.Sprintf(" (median of %d)", m.cfg.oneDir), Met: one <= 15*time.Millisecond, Known: true})

	hs := target{Goal: "factory-built handshakes ≥ 0.98× a hand-built static config", Measured: "not run (-gobench=false)"}
	sel := target{Goal: "SNI with 10,000 objects ≥ 0.95× one object (handshakes/s)", Measured: "not run (-gobench=false)"}
	if g := m.goBench; g != nil {
		// Ratios of ns/op, e.g. static over factory: the factory's share
		// of the static config's throughput. The verdict is the server
		// process's (clients in another process, as a server runs); the
		// one-process figure is given beside it.
		if q, text := g.factoryRatio(); q > 0 {
			hs.Measured, hs.Met, hs.Known = text, q >= 0.98, true
		}
		if q, text := g.sniRatio(); q > 0 {
			sel.Measured = fmt.Sprintf("%s; the selection alone: %.0f vs %.0f ns, %.0f allocs", text,
				g.median("BenchmarkGetConfigForClient/objects=10000", "ns/op"), g.median("BenchmarkGetConfigForClient/objects=1", "ns/op"),
				g.median("BenchmarkGetConfigForClient/objects=10000", "allocs/op"))
			sel.Met, sel.Known = q >= 0.95, true
		}
	}
	r.targets = append(r.targets, hs, sel)
	r.targets = append(r.targets, m.extraTargets()...)
	return r
}

func (t target) verdict() string {
	switch {
	case !t.Known:
		return "not measured"
	case t.Met:
		return "met"
	}
	return "**missed**"
}

func (s summary) cells() []string {
	dirs := fmt.Sprintf("%d", s.Dirs)
	if s.Measured < s.Dirs {
		dirs = fmt.Sprintf("%d (%d measured)", s.Dirs, s.Measured)
	}
	return []string{dirs, fmt.Sprintf("%.2f s", s.Wall.Seconds()), fmt.Sprintf("%.2f s", s.CPU.Seconds()),
		mib(s.MaxRSS), fmt.Sprintf("%.0f", s.dirsPerSec())}
}

// writeText prints the results for a terminal.
func (r *report) writeText(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "tool\tdirs\twall\tCPU\tpeak RSS\tdirs/s\n")
	for _, row := range r.rows {
		fmt.Fprintf(tw, "%s\t%s\n", row.label, strings.Join(row.s.cells(), "\t"))
	}
	tw.Flush()
	fmt.Fprintf(w, "\none dir, process wall time (median of %d): tlscreds lint %s, floor %s, openssl verify %s, qemu-img info %s\n\n",
		r.m.cfg.oneDir, ms(r.m.oneDir["lint"]), ms(r.m.oneDir["floor"]), ms(r.m.oneDir["openssl"]), ms(r.m.oneDir["qemu"]))
	for _, ra := range r.ratios {
		fmt.Fprintf(w, "%s: %s\n", ra[0], ra[1])
	}
	fmt.Fprintln(w)
	var sb strings.Builder
	r.m.scaleMarkdown(&sb)
	r.m.extraMarkdown(&sb)
	fmt.Fprint(w, sb.String())
	for _, t := range r.targets {
		fmt.Fprintf(w, "%-12s %s: %s\n", strings.Trim(t.verdict(), "*"), t.Goal, t.Measured)
	}
}

// Markers around the generated section of docs/performance.md.
const (
	beginMarker = "<!-- tlscreds-bench:begin: generated by `go run ./cmd/tlscreds-bench`; edits up to the end marker are overwritten -->"
	endMarker   = "<!-- tlscreds-bench:end -->"
)

func (r *report) markdown() string {
	var b strings.Builder
	m, mc := r.m, r.machine
	fmt.Fprintf(&b, "## Latest results\n\n")
	fmt.Fprintf(&b, "Measured %s with `%s`, tlscreds at `%s`.\n\n", r.date.Format("2006-01-02 15:04 MST"), mc.Command, mc.Commit)
	fmt.Fprintf(&b, "Machine: %d CPUs (%s), %s memory, %s, %s, %s, %s. Binaries built as `make build` does (CGO_ENABLED=0).\n\n", mc.CPUs, mc.CPUModel, mc.Memory, mc.Kernel, mc.Go, mc.OpenSSL, mc.QEMU)
	fmt.Fprintf(&b, "Load: the 1-minute load average was %s when the run began and %s when it ended, on %d CPUs; a load above the CPU count means other work shared the machine and slowed whatever ran beside it (ratios are less affected than times).\n\n", m.loadStart, loadAvg(), mc.CPUs)
	fmt.Fprintf(&b, "Tree: %d QEMU server directories (ECDSA P-256 and RSA-2048 alternating, every fourth with an intermediate CA). "+
		"Medians over %d rounds, the tools alternating within each round; peak RSS is the largest seen; for the per-directory tools it is that of one process, from the one-directory runs.\n\n",
		len(m.dirs), m.cfg.rounds)
	b.WriteString("| Tool | Dirs | Wall | CPU (user+sys) | Peak RSS | Dirs/s |\n|---|---:|---:|---:|---:|---:|\n")
	for _, row := range r.rows {
		fmt.Fprintf(&b, "| %s | %s |\n", row.label, strings.Join(row.s.cells(), " | "))
	}
	b.WriteString("\n| Ratio | Value |\n|---|---:|\n")
	for _, ra := range r.ratios {
		fmt.Fprintf(&b, "| %s | %s |\n", ra[0], ra[1])
	}
	fmt.Fprintf(&b, "\nOne directory, process wall time, median of %d: `tlscreds lint DIR` %s, floor %s, `openssl verify` %s, `qemu-img info` %s.\n\n",
		m.cfg.oneDir, ms(m.oneDir["lint"]), ms(m.oneDir["floor"]), ms(m.oneDir["openssl"]), ms(m.oneDir["qemu"]))
	if m.goBench != nil {
		fmt.Fprintf(&b, "Go benchmarks: `%s`; medians of each metric (the targets use the median of the ratios of the paired sub-benchmarks of each run):\n\n", m.goBenchCmd)
		b.WriteString("| Benchmark | ns/op | Per second | B/op | allocs/op |\n|---|---:|---:|---:|---:|\n")
		for _, name := range []string{"BenchmarkServerHandshake/factory+static",
			"BenchmarkServerHandshake/sni-objects=1", "BenchmarkServerHandshake/sni-objects=10000",
			"BenchmarkHandshake/factory", "BenchmarkHandshake/static",
			"BenchmarkHandshake/sni-objects=1", "BenchmarkHandshake/sni-objects=10000",
			"BenchmarkGetConfigForClient/objects=1", "BenchmarkGetConfigForClient/objects=10000"} {
			ns := m.goBench.median(name, "ns/op")
			if ns == 0 {
				continue
			}
			nsText := fmt.Sprintf("%.0f", ns)
			if ns < 100 {
				nsText = fmt.Sprintf("%.1f", ns)
			}
			fmt.Fprintf(&b, "| %s | %s | %.0f | %.0f | %.0f |\n", name, nsText, 1e9/ns,
				m.goBench.median(name, "B/op"), m.goBench.median(name, "allocs/op"))
		}
		b.WriteString("\n")
	}
	m.scaleMarkdown(&b)
	m.extraMarkdown(&b)
	b.WriteString("### Targets (issues 7, 17 and 18)\n\n| Target | Measured | Verdict |\n|---|---|---|\n")
	for _, t := range r.targets {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", t.Goal, t.Measured, t.verdict())
	}
	return b.String()
}

// spliceResults puts section between the markers of the markdown file,
// keeping everything around them; a file without markers gets the section
// appended, a missing file is created.
func spliceResults(file, section string) error {
	old, err := os.ReadFile(file)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	text := string(old)
	if text == "" {
		text = "# Performance\n"
	}
	block := beginMarker + "\n\n" + section + "\n" + endMarker
	i := strings.Index(text, "<!-- tlscreds-bench:begin")
	j := strings.Index(text, endMarker)
	switch {
	case i >= 0 && j > i:
		text = text[:i] + block + text[j+len(endMarker):]
	case i >= 0 || j >= 0:
		return fmt.Errorf("%s: only one of the tlscreds-bench markers is there; restore both or remove both", file)
	default:
		text = strings.TrimRight(text, "\n") + "\n\n" + block + "\n"
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return os.WriteFile(file, []byte(text), 0o644)
}
