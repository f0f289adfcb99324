package main

import (
	"bufio"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tlscreds/tlscreds/fixtures"
)

// This file holds the fleet and scale measurements beyond the tree
// (docs/performance.md):
// a wide directory, manifests, the pair matrix, start-up and the fleet
// exporter's benchmarks.

// wideResult is lint and the floor over one directory of many entries.
type wideResult struct {
	entries, credDirs int
	lint, floor       summary
}

// ensureWide makes a directory of entries subdirectories, every 20th a
// credential directory (a copy of the shared-CA tree's directories, so
// the credentials are real), the others empty.
func ensureWide(cache string, entries int, logf func(string, ...any)) (string, int, error) {
	creds := entries / 20
	o := treeOptions{Dirs: creds, KeyTypes: []fixtures.KeyType{fixtures.ECDSAP256, fixtures.RSA2048}, PoolSize: 4, SharedCA: true}
	src, err := ensureTree(cache, o, logf)
	if err != nil {
		return "", 0, err
	}
	root := filepath.Join(cache, fmt.Sprintf("wide-%d", entries))
	stamp := filepath.Join(root, stampName)
	if _, err := os.Stat(stamp); err == nil {
		return root, creds, nil
	}
	logf("making a directory of %d entries (%d credential directories) in %s ...", entries, creds, root)
	os.RemoveAll(root)
	srcDirs, err := treeDirs(src)
	if err != nil {
		return "", 0, err
	}
	if err := parallel(entries, func(i int) error {
		dir := filepath.Join(root, fmt.Sprintf("e%06d", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if i%20 != 0 {
			return nil
		}
		from := srcDirs[(i/20)%len(srcDirs)]
		for _, name := range []string{"ca-cert.pem", "server-cert.pem", "server-key.pem"} {
			data, err := os.ReadFile(filepath.Join(from, name))
			if err != nil {
				return err
			}
			mode := os.FileMode(0o644)
			if name == "server-key.pem" {
				mode = 0o600
			}
			if err := os.WriteFile(filepath.Join(dir, name), data, mode); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return "", 0, err
	}
	return root, creds, os.WriteFile(stamp, []byte(`{"scheme":1}`), 0o644)
}

// wide measures lint and the floor over the wide directory, alternating.
func (m *measurement) wide(logf func(string, ...any)) error {
	if m.cfg.wide <= 0 {
		return nil
	}
	root, creds, err := ensureWide(m.cfg.cache, m.cfg.wide, logf)
	if err != nil {
		return err
	}
	tools := [][]string{{m.bins["tlscreds"], "lint", "-r", "--format", "json", root}, {m.bins["floor"], root}}
	for _, argv := range tools {
		if _, err := m.run.one(argv...); err != nil { // page cache, and both must pass
			return fmt.Errorf("over the wide directory: %w", err)
		}
	}
	var runs [2][]usage
	for r := range m.cfg.scaleRounds {
		for i := range tools {
			k := (r + i) % 2
			u, err := m.run.one(tools[k]...)
			if err != nil {
				return err
			}
			runs[k] = append(runs[k], u)
			logf("wide directory (%d entries), round %d: %s %.2f s wall, %.2f s CPU, peak RSS %s", m.cfg.wide, r+1, []string{"lint", "floor"}[k], u.Wall.Seconds(), u.CPU.Seconds(), mib(u.MaxRSS))
		}
	}
	m.wideRes = &wideResult{entries: m.cfg.wide, credDirs: creds, lint: summarize(runs[0], creds, creds), floor: summarize(runs[1], creds, creds)}
	return nil
}

// objectPool is a directory of server and client credential directories
// under one ECDSA root, for manifests: srv/s00000 ..., cli/c00000 ...
func ensureObjectPool(cache string, servers, clients int, logf func(string, ...any)) (string, error) {
	root := filepath.Join(cache, fmt.Sprintf("objects-%d-%d", servers, clients))
	stamp := filepath.Join(root, stampName)
	if _, err := os.Stat(stamp); err == nil {
		return root, nil
	}
	logf("generating %d server and %d client credential directories in %s ...", servers, clients, root)
	os.RemoveAll(root)
	pool, err := newKeyPool(treeOptions{KeyTypes: []fixtures.KeyType{fixtures.ECDSAP256}, PoolSize: 4})
	if err != nil {
		return "", err
	}
	gen := fixtures.New(time.Now())
	ca, err := gen.Root(fixtures.Spec{Key: pool.root[fixtures.ECDSAP256][0], CommonName: "manifest bench CA"})
	if err != nil {
		return "", err
	}
	if err := parallel(servers+clients, func(i int) error {
		key := pool.leaf[fixtures.ECDSAP256][i%4]
		d := fixtures.Dir{CA: []*x509.Certificate{ca.Cert}}
		var dir string
		if i < servers {
			name := fmt.Sprintf("s%05d", i)
			leaf, err := gen.Server(ca, fixtures.Spec{Key: key, DNSNames: []string{name + ".bench.example"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}})
			if err != nil {
				return err
			}
			d.Server, dir = leaf, filepath.Join(root, "srv", name)
		} else {
			name := fmt.Sprintf("c%05d", i-servers)
			leaf, err := gen.Client(ca, fixtures.Spec{Key: key, CommonName: name})
			if err != nil {
				return err
			}
			d.Client, dir = leaf, filepath.Join(root, "cli", name)
		}
		return writeDir(dir, d)
	}); err != nil {
		return "", err
	}
	return root, os.WriteFile(stamp, []byte(`{"scheme":1}`), 0o644)
}

type manifestObject struct {
	ID       string `json:"id"`
	Endpoint string `json:"endpoint"`
	Dir      string `json:"dir"`
}

type manifestEndpoint struct {
	Name    string   `json:"name"`
	Role    string   `json:"role"`
	Objects []string `json:"objects"`
	Hosts   []string `json:"hosts,omitempty"`
	Server  string   `json:"server,omitempty"`
}

type manifestDoc struct {
	Objects   []manifestObject   `json:"objects"`
	Endpoints []manifestEndpoint `json:"endpoints"`
}

func writeManifest(path string, doc manifestDoc) error {
	data, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// lintManifest is the manifest lint of n objects: n/2 server objects
// behind one SNI server endpoint, n/2 client endpoints of a client object
// each, all connecting to it.
func lintManifest(pool string, n int) manifestDoc {
	var doc manifestDoc
	sni := manifestEndpoint{Name: "sni", Role: "server", Hosts: []string{"s00000.bench.example"}}
	for i := range n / 2 {
		id := fmt.Sprintf("s%05d", i)
		doc.Objects = append(doc.Objects, manifestObject{id, "server", filepath.Join(pool, "srv", id)})
		sni.Objects = append(sni.Objects, id)
	}
	doc.Endpoints = append(doc.Endpoints, sni)
	for i := range n / 2 {
		id := fmt.Sprintf("c%05d", i)
		doc.Objects = append(doc.Objects, manifestObject{id, "client", filepath.Join(pool, "cli", id)})
		doc.Endpoints = append(doc.Endpoints, manifestEndpoint{Name: "cl" + id, Role: "client", Objects: []string{id}, Server: "sni"})
	}
	return doc
}

// pairManifest is a trust matrix of clients client endpoints over
// clientObjs client objects (a host's client certificate is shared by its
// endpoints, as libvirt's is) and servers server endpoints of a server
// object each.
func pairManifest(pool string, clients, clientObjs, servers int) manifestDoc {
	var doc manifestDoc
	for i := range servers {
		id := fmt.Sprintf("s%05d", i)
		doc.Objects = append(doc.Objects, manifestObject{id, "server", filepath.Join(pool, "srv", id)})
		doc.Endpoints = append(doc.Endpoints, manifestEndpoint{Name: "srv" + id, Role: "server", Objects: []string{id}, Hosts: []string{id + ".bench.example"}})
	}
	for i := range clientObjs {
		id := fmt.Sprintf("c%05d", i)
		doc.Objects = append(doc.Objects, manifestObject{id, "client", filepath.Join(pool, "cli", id)})
	}
	for i := range clients {
		doc.Endpoints = append(doc.Endpoints, manifestEndpoint{Name: fmt.Sprintf("cl%05d", i), Role: "client",
			Objects: []string{fmt.Sprintf("c%05d", i%clientObjs)}, Server: fmt.Sprintf("srvs%05d", i%servers)})
	}
	return doc
}

// manifestPoint is `lint --manifest` over n objects.
type manifestPoint struct {
	objects int
	runs    []usage
	s       summary
}

func (p manifestPoint) cpuPerObject() time.Duration { return p.s.CPU / time.Duration(p.objects) }

// pairResult is `pair --manifest` over the matrix.
type pairResult struct {
	clients, servers, clientObjs int
	walls, firstByte, cpus       []time.Duration
	rss                          int64
	outBytes                     int64
}

// manifests measures lint --manifest at each size and pair --manifest.
func (m *measurement) manifests(logf func(string, ...any)) error {
	if len(m.cfg.manifest) == 0 && m.cfg.pairClients == 0 {
		return nil
	}
	largest := 0
	for _, n := range m.cfg.manifest {
		largest = max(largest, n/2)
	}
	pool, err := ensureObjectPool(m.cfg.cache, max(largest, m.cfg.pairServers), max(largest, m.cfg.pairClientObjs), logf)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "tlscreds-bench-manifest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	var points []*manifestPoint
	var argvs [][]string
	for _, n := range m.cfg.manifest {
		path := filepath.Join(work, fmt.Sprintf("lint-%d.json", n))
		if err := writeManifest(path, lintManifest(pool, n)); err != nil {
			return err
		}
		argv := []string{m.bins["tlscreds"], "lint", "--manifest", path, "--format", "json"}
		if u, err := m.run.one(argv...); err != nil && u.Status != 1 {
			return fmt.Errorf("lint --manifest of %d objects: %w", n, err)
		}
		points, argvs = append(points, &manifestPoint{objects: n}), append(argvs, argv)
	}
	for r := range m.cfg.scaleRounds {
		for i := range points {
			k := (r + i) % len(points)
			u, err := m.run.one(argvs[k]...)
			if err != nil && u.Status != 1 {
				return err
			}
			points[k].runs = append(points[k].runs, u)
			logf("lint --manifest, %d objects, round %d: %.2f s wall, %.2f s CPU (%.0f µs/object), peak RSS %s", points[k].objects, r+1,
				u.Wall.Seconds(), u.CPU.Seconds(), float64(u.CPU.Microseconds())/float64(points[k].objects), mib(u.MaxRSS))
		}
	}
	for _, p := range points {
		p.s = summarize(p.runs, p.objects, p.objects)
		m.manifestRes = append(m.manifestRes, *p)
	}
	if m.cfg.pairClients > 0 {
		pr := &pairResult{clients: m.cfg.pairClients, servers: m.cfg.pairServers, clientObjs: m.cfg.pairClientObjs}
		path := filepath.Join(work, "pair.json")
		if err := writeManifest(path, pairManifest(pool, pr.clients, pr.clientObjs, pr.servers)); err != nil {
			return err
		}
		for r := range m.cfg.scaleRounds {
			wall, first, cpu, rss, n, err := timeStream(m.bins["tlscreds"], "pair", "--manifest", path, "--format", "json")
			if err != nil {
				return fmt.Errorf("pair --manifest: %w", err)
			}
			pr.walls, pr.firstByte, pr.cpus, pr.rss, pr.outBytes = append(pr.walls, wall), append(pr.firstByte, first), append(pr.cpus, cpu), max(pr.rss, rss), n
			logf("pair --manifest %d × %d, round %d: %.2f s wall (first output after %.2f s), %.2f s CPU, %.1f MB out", pr.clients, pr.servers, r+1, wall.Seconds(), first.Seconds(), cpu.Seconds(), float64(n)/1e6)
		}
		m.pairRes = pr
	}
	return nil
}

// timeStream runs a command that writes a stream, reading it as it comes:
// wall time, time to the first byte, CPU time, peak RSS (of the child,
// counted by Linux from the fork: at least the harness's at that moment)
// and the bytes written. Exit status 1 (findings) is accepted.
func timeStream(argv ...string) (wall, first, cpu time.Duration, rss, n int64, err error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return
	}
	start := time.Now()
	if err = cmd.Start(); err != nil {
		return
	}
	buf := make([]byte, 64<<10)
	for {
		k, rerr := out.Read(buf)
		if k > 0 && n == 0 {
			first = time.Since(start)
		}
		n += int64(k)
		if rerr != nil {
			break
		}
	}
	werr := cmd.Wait()
	wall = time.Since(start)
	var ee *exec.ExitError
	if werr != nil && !(errors.As(werr, &ee) && ee.ExitCode() == 1) {
		return wall, first, 0, 0, n, werr
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		cpu = time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
		rss = ru.Maxrss * 1024
	}
	return wall, first, cpu, rss, n, nil
}

// startup times `tlscreds --version` and `tlscreds lint DIR` as processes,
// alternating, and keeps the medians and quartiles; it also records the
// package initialisation GODEBUG=inittrace=1 reports for --version.
type startupResult struct {
	version, lintDir [3]time.Duration // p25, median, p75
	runs             int
	initMs           float64
	initBytes        int64
	topInits         []string
}

func quartiles(ds []time.Duration) [3]time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return [3]time.Duration{s[len(s)/4], s[(len(s)-1)/2], s[len(s)*3/4]}
}

var initLine = regexp.MustCompile(`^init (\S+) @[0-9.]+ ms, ([0-9.]+) ms clock, ([0-9]+) bytes, ([0-9]+) allocs`)

func (m *measurement) startup(logf func(string, ...any)) error {
	runs := m.cfg.startupRuns
	if runs <= 0 {
		return nil
	}
	dir := m.dirs[0]
	var vs, ls []time.Duration
	timeOne := func(argv ...string) (time.Duration, error) {
		t := time.Now()
		cmd := exec.Command(argv[0], argv[1:]...)
		err := cmd.Run()
		return time.Since(t), err
	}
	for i := range runs {
		for k := range 2 {
			var d time.Duration
			var err error
			if (i+k)%2 == 0 {
				d, err = timeOne(m.bins["tlscreds"], "--version")
				vs = append(vs, d)
			} else {
				d, err = timeOne(m.bins["tlscreds"], "lint", dir)
				ls = append(ls, d)
			}
			if err != nil {
				return fmt.Errorf("start-up run: %w", err)
			}
		}
	}
	res := &startupResult{version: quartiles(vs), lintDir: quartiles(ls), runs: runs}
	// Package initialisation, from the runtime's own trace (the median
	// run of five by total time).
	type trace struct {
		ms    float64
		bytes int64
		top   []string
	}
	var traces []trace
	for range 5 {
		cmd := exec.Command(m.bins["tlscreds"], "--version")
		cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
		stderr, err := cmd.StderrPipe()
		if err != nil {
			return err
		}
		if err := cmd.Start(); err != nil {
			return err
		}
		var tr trace
		type pkg struct {
			name  string
			bytes int64
		}
		var pkgs []pkg
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			f := initLine.FindStringSubmatch(sc.Text())
			if f == nil {
				continue
			}
			ms, _ := strconv.ParseFloat(f[2], 64)
			b, _ := strconv.ParseInt(f[3], 10, 64)
			tr.ms += ms
			tr.bytes += b
			pkgs = append(pkgs, pkg{f[1], b})
		}
		cmd.Wait()
		slices.SortFunc(pkgs, func(a, b pkg) int { return int(b.bytes - a.bytes) })
		for _, p := range pkgs[:min(4, len(pkgs))] {
			tr.top = append(tr.top, fmt.Sprintf("%s %.0f KB", p.name, float64(p.bytes)/1e3))
		}
		traces = append(traces, tr)
	}
	slices.SortFunc(traces, func(a, b trace) int { return int((a.ms - b.ms) * 1e6) })
	t := traces[len(traces)/2]
	res.initMs, res.initBytes, res.topInits = t.ms, t.bytes, t.top
	m.startupRes = res
	logf("start-up: --version %s, lint DIR %s (medians of %d); package init %.2f ms, %d bytes", ms(res.version[1]), ms(res.lintDir[1]), runs, res.initMs, res.initBytes)
	return nil
}

// exporterResult is lint/metrics' fleet benchmarks (docs/fleet.md).
type exporterResult struct {
	dirs                   int
	lintS, checkS          float64
	scrapedS               float64 // a check once Prometheus scrapes: OpenMetrics only
	lintCPU, checkCPU      float64
	scrapedCPU             float64
	textPer1000, gzPer1000 float64 // MiB
	heapFirst, heapLast    float64
	scrapeNs, scrapeMaxMs  float64
	lintBytes, checkBytes  float64
	cmd                    string
}

func (m *measurement) exporterBench(root string, logf func(string, ...any)) error {
	if m.cfg.fleetDirs <= 0 {
		return nil
	}
	logf("running the fleet exporter benchmarks over %d directories ...", m.cfg.fleetDirs)
	args := []string{"test", "-run", "^$", "-bench", "^BenchmarkFleet(Lint|ExporterCheck|ExporterCheckScraped|Scrape)$", "-benchmem", "-benchtime", "3x", "./lint/metrics"}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), fmt.Sprintf("TLSCREDS_FLEET_DIRS=%d", m.cfg.fleetDirs))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	r := parseGoBench(out)
	res := &exporterResult{dirs: m.cfg.fleetDirs, cmd: fmt.Sprintf("TLSCREDS_FLEET_DIRS=%d go %s", m.cfg.fleetDirs, strings.Join(args, " "))}
	res.lintS = r.median("BenchmarkFleetLint", "s/check")
	res.checkS = r.median("BenchmarkFleetExporterCheck", "s/check")
	res.scrapedS = r.median("BenchmarkFleetExporterCheckScraped", "s/check")
	res.lintCPU = r.median("BenchmarkFleetLint", "cpu-s/check")
	res.checkCPU = r.median("BenchmarkFleetExporterCheck", "cpu-s/check")
	res.scrapedCPU = r.median("BenchmarkFleetExporterCheckScraped", "cpu-s/check")
	res.textPer1000 = r.median("BenchmarkFleetExporterCheck", "MiB-text/1000dirs")
	res.gzPer1000 = r.median("BenchmarkFleetExporterCheck", "MiB-gzip/1000dirs")
	res.heapFirst = r.median("BenchmarkFleetExporterCheck", "heap-MiB-first")
	res.heapLast = r.median("BenchmarkFleetExporterCheck", "heap-MiB-last")
	res.lintBytes = r.median("BenchmarkFleetLint", "B/op")
	res.checkBytes = r.median("BenchmarkFleetExporterCheck", "B/op")
	res.scrapeNs = r.median("BenchmarkFleetScrape", "ns/op")
	res.scrapeMaxMs = r.median("BenchmarkFleetScrape", "ms-max")
	if res.lintS == 0 || res.checkS == 0 {
		return fmt.Errorf("the fleet benchmarks reported nothing:\n%s", out)
	}
	m.exporterRes = res
	logf("exporter: re-check %.2f s vs lint %.2f s (%.2f×), scrape %.3f ms (max %.2f ms)", res.checkS, res.lintS, res.checkS/res.lintS, res.scrapeNs/1e6, res.scrapeMaxMs)
	return nil
}

var _ io.Writer = (*countWriter)(nil)

// extraTargets judges the fleet and scale targets of docs/performance.md
// from the measurements of this file.
func (m *measurement) extraTargets() []target {
	var ts []target
	if w := m.wideRes; w != nil {
		limit := w.floor.MaxRSS + 16<<20
		ts = append(ts, target{Goal: fmt.Sprintf("lint peak RSS over one directory of %d entries ≤ the floor's + 16 MiB", w.entries),
			Measured: fmt.Sprintf("%s vs the floor's %s (%+.1f MiB)", mib(w.lint.MaxRSS), mib(w.floor.MaxRSS), float64(w.lint.MaxRSS-w.floor.MaxRSS)/(1<<20)),
			Met:      w.lint.MaxRSS <= limit, Known: true})
	}
	if len(m.manifestRes) > 1 {
		a, z := m.manifestRes[0], m.manifestRes[len(m.manifestRes)-1]
		q := float64(z.cpuPerObject()) / float64(a.cpuPerObject())
		ts = append(ts, target{Goal: fmt.Sprintf("`lint --manifest`: CPU per object at %d objects within 1.1× of that at %d", z.objects, a.objects),
			Measured: fmt.Sprintf("%.0f µs vs %.0f µs per object (%.2f×; process CPU, start-up included)", float64(z.cpuPerObject().Nanoseconds())/1e3, float64(a.cpuPerObject().Nanoseconds())/1e3, q),
			Met:      q <= 1.1, Known: true})
	}
	if p := m.pairRes; p != nil {
		wall := median(p.walls)
		ts = append(ts, target{Goal: fmt.Sprintf("`pair --manifest` %d × %d in under 10 s, output streamed", p.clients, p.servers),
			Measured: fmt.Sprintf("%.2f s wall (first output after %.2f s), %.2f s CPU, median of %d", wall.Seconds(), median(p.firstByte).Seconds(), median(p.cpus).Seconds(), len(p.walls)),
			Met:      wall < 10*time.Second && median(p.firstByte) < wall, Known: true})
	}
	if x := m.exporterRes; x != nil {
		q := x.scrapedS / x.lintS
		ts = append(ts, target{Goal: fmt.Sprintf("exporter re-check of %d dirs in about the time of `lint -r` (met: ≤ 1.2×), as Prometheus scrapes it (OpenMetrics)", x.dirs),
			Measured: fmt.Sprintf("%.2f s vs %.2f s (%.2f×; CPU %.2f s vs %.2f s); before any scrape, both formats rendered: %.2f s (%.2f×)", x.scrapedS, x.lintS, q, x.scrapedCPU, x.lintCPU, x.checkS, x.checkS/x.lintS),
			Met:      q <= 1.2, Known: true})
		ts = append(ts, target{Goal: "a scrape answers in under 100 ms while a check runs",
			Measured: fmt.Sprintf("%.3f ms mean, %.2f ms max (%d dirs, gzip)", x.scrapeNs/1e6, x.scrapeMaxMs, x.dirs), Met: x.scrapeMaxMs < 100, Known: true})
		ts = append(ts, target{Goal: "exporter memory flat in the number of checks",
			Measured: fmt.Sprintf("live heap %.2f MiB after the first check, %.2f MiB after the last", x.heapFirst, x.heapLast), Met: x.heapLast <= x.heapFirst*1.1+0.5, Known: true})
	}
	return ts
}

// extraMarkdown describes the measurements of this file.
func (m *measurement) extraMarkdown(b *strings.Builder) {
	if w := m.wideRes; w != nil {
		fmt.Fprintf(b, "Wide directory: one directory of %d entries, every 20th a credential directory (%d, shared-CA), the others empty; medians of %d rounds: lint %.2f s wall, %.2f s CPU, peak RSS %s; floor %.2f s wall, %.2f s CPU, peak RSS %s.\n\n",
			w.entries, w.credDirs, m.cfg.scaleRounds, w.lint.Wall.Seconds(), w.lint.CPU.Seconds(), mib(w.lint.MaxRSS), w.floor.Wall.Seconds(), w.floor.CPU.Seconds(), mib(w.floor.MaxRSS))
	}
	if len(m.manifestRes) > 0 {
		b.WriteString("`tlscreds lint --manifest M --format json`: N/2 server objects behind one SNI server endpoint, N/2 client endpoints of a client object each (one ECDSA CA), medians of the rounds:\n\n| Objects | Wall | CPU | CPU per object | Peak RSS |\n|---:|---:|---:|---:|---:|\n")
		for _, p := range m.manifestRes {
			fmt.Fprintf(b, "| %d | %.2f s | %.2f s | %.0f µs | %s |\n", p.objects, p.s.Wall.Seconds(), p.s.CPU.Seconds(), float64(p.cpuPerObject().Nanoseconds())/1e3, mib(p.s.MaxRSS))
		}
		b.WriteString("\n")
	}
	if p := m.pairRes; p != nil {
		fmt.Fprintf(b, "`tlscreds pair --manifest M --format json`: %d client endpoints over %d client objects (a host's client certificate shared by its endpoints) × %d server endpoints of a server object each: %d edges; medians of %d runs: %.2f s wall, first output after %.2f s, %.2f s CPU, %.1f MB of JSON streamed, peak RSS %s (counted from the fork, so at least the harness's).\n\n",
			p.clients, p.clientObjs, p.servers, p.clients*p.servers, len(p.walls), median(p.walls).Seconds(), median(p.firstByte).Seconds(), median(p.cpus).Seconds(), float64(p.outBytes)/1e6, mib(p.rss))
	}
	if s := m.startupRes; s != nil {
		fmt.Fprintf(b, "Start-up, process wall time, %d alternating runs each, median (p25–p75): `tlscreds --version` %s (%s–%s), `tlscreds lint DIR` %s (%s–%s). Package initialisation (`GODEBUG=inittrace=1 tlscreds --version`, median of 5): %.2f ms, %.0f KB allocated; the largest: %s.\n\n",
			s.runs, ms(s.version[1]), ms(s.version[0]), ms(s.version[2]), ms(s.lintDir[1]), ms(s.lintDir[0]), ms(s.lintDir[2]), s.initMs, float64(s.initBytes)/1e3, strings.Join(s.topInits, ", "))
	}
	if x := m.exporterRes; x != nil {
		fmt.Fprintf(b, "Fleet exporter (`%s`): over %d `hv*/qemu` directories with a CRL, `lint -r` %.2f s (%.2f s CPU); one exporter check as Prometheus scrapes it (read, lint, summarise, render OpenMetrics, gzip) %.2f s (%.2f×, %.2f s CPU), before any scrape (both formats) %.2f s (%.2f×, %.2f s CPU); allocated per check %.0f MB vs lint's %.0f MB; exposition per 1,000 directories %.2f MiB of text, %.3f MiB gzipped; a gzip scrape while checks run back to back %.3f ms mean, %.2f ms max; live heap after the first check %.2f MiB, after the last %.2f MiB.\n\n",
			x.cmd, x.dirs, x.lintS, x.lintCPU, x.scrapedS, x.scrapedS/x.lintS, x.scrapedCPU, x.checkS, x.checkS/x.lintS, x.checkCPU, x.checkBytes/1e6, x.lintBytes/1e6, x.textPer1000, x.gzPer1000, x.scrapeNs/1e6, x.scrapeMaxMs, x.heapFirst, x.heapLast)
	}
}

// prepareTrees generates every tree a run with these flags measures (the
// main tree and its smaller one are made before this is called).
func prepareTrees(c config, logf func(string, ...any)) error {
	var kinds []bool
	if c.scaleShared {
		kinds = append(kinds, false)
	}
	if c.scaleUnique {
		kinds = append(kinds, true)
	}
	for _, unique := range kinds {
		for _, n := range c.scale {
			if _, err := ensureTree(c.cache, treeOptions{Dirs: n, KeyTypes: []fixtures.KeyType{fixtures.ECDSAP256, fixtures.RSA2048}, PoolSize: 4, SharedCA: !unique}, logf); err != nil {
				return err
			}
		}
	}
	if c.wide > 0 {
		if _, _, err := ensureWide(c.cache, c.wide, logf); err != nil {
			return err
		}
	}
	largest := 0
	for _, n := range c.manifest {
		largest = max(largest, n/2)
	}
	if largest > 0 || c.pairClients > 0 {
		if _, err := ensureObjectPool(c.cache, max(largest, c.pairServers), max(largest, c.pairClientObjs), logf); err != nil {
			return err
		}
	}
	logf("every tree is ready in %s", c.cache)
	return nil
}
