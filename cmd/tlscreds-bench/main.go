// Command tlscreds-bench measures `tlscreds lint` against its floor and
// against what users run today, side by side and alternating round by
// round, and writes the results into docs/performance.md.
//
// It generates (or reuses, from -cache) a tree of N QEMU server
// credential directories, builds tlscreds and the floor program
// (cmd/tlscreds-bench/floor) into a temporary directory, and measures
// wall time, CPU time (user+sys of the child processes) and peak RSS of:
//
//  1. tlscreds lint -r TREE --format json > /dev/null (all cores);
//  2. floor TREE: read, parse and signature-verify the same certificates
//     on all cores, nothing else;
//  3. openssl verify -CAfile ca-cert.pem server-cert.pem, one process per
//     directory, -jobs at a time;
//  4. qemu-img info --object tls-creds-x509,... per directory, on a sample,
//     extrapolated to the tree.
//
// It also measures one-directory process times, lint over a smaller tree
// (peak RSS must not grow with N), and runs the creds Go benchmarks for the
// handshake and config-selection ratios. See docs/performance.md for how
// to read the numbers.
//
// Usage:
//
//	go run ./cmd/tlscreds-bench [-n 10000] [-rounds 3] [-qemu-sample 50] [-out docs/performance.md]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/fixtures"
)

func main() { os.Exit(run(os.Args, os.Stdout, os.Stderr)) }

// config is the parsed command line.
type config struct {
	n, rssN, rounds, qemuSample, jobs, oneDir int
	cache, out                                string
	goBench                                   bool
	goBenchCount                              int
	goBenchTime                               string
	scale                                     []int
	scaleRounds                               int
	scaleUnique, scaleShared                  bool
	wide                                      int
	manifest                                  []int
	pairClients, pairServers, pairClientObjs  int
	startupRuns                               int
	fleetDirs                                 int
	prepare                                   bool
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("tlscreds-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.n, "n", 10000, "credential directories in the tree")
	fs.IntVar(&c.rssN, "rss-n", -1, "size of the second tree, linted to show peak RSS does not grow with N (default N/10; 0: none)")
	fs.IntVar(&c.rounds, "rounds", 3, "measured rounds; the tools alternate within each round")
	fs.IntVar(&c.qemuSample, "qemu-sample", 50, "directories qemu-img loads per round (extrapolated to the tree)")
	fs.IntVar(&c.jobs, "jobs", runtime.NumCPU(), "openssl and qemu-img processes run at a time")
	fs.IntVar(&c.oneDir, "one-dir", 20, "repetitions of the one-directory process timings (the median is reported)")
	fs.StringVar(&c.cache, "cache", filepath.Join(os.TempDir(), "tlscreds-bench"), "where generated trees are kept between runs")
	fs.StringVar(&c.out, "out", "docs/performance.md", "markdown file whose results section is rewritten (relative to the module root; empty: none)")
	fs.BoolVar(&c.goBench, "gobench", true, "also run the creds Go benchmarks (handshake and config-selection ratios)")
	fs.IntVar(&c.goBenchCount, "gobench-count", 10, "runs of the Go benchmarks, each a -count 1 run of every one (medians are reported)")
	fs.StringVar(&c.goBenchTime, "gobench-time", "1s", "-benchtime for the Go benchmarks")
	scale := fs.String("scale", "1000,10000,50000", "sizes of the shared-CA (fleet) trees lint and the floor are measured on, for the scale table (empty: none)")
	fs.IntVar(&c.scaleRounds, "scale-rounds", 3, "rounds at each -scale size (and of -wide, -manifest, -pair)")
	fs.BoolVar(&c.scaleShared, "scale-shared", true, "measure the shared-CA (fleet) tree at each -scale size")
	fs.BoolVar(&c.scaleUnique, "scale-unique", true, "also measure a tree with a unique CA per directory at each -scale size")
	fs.IntVar(&c.wide, "wide", 200000, "entries of the one wide directory lint and the floor are measured on, every 20th a credential directory (0: none)")
	manifestSizes := fs.String("manifest", "1000,10000", "objects of the manifests `lint --manifest` is measured on (empty: none)")
	pair := fs.String("pair", "1000x100/10", "pair --manifest matrix: CLIENTSxSERVERS/CLIENT_OBJECTS (empty: none)")
	fs.IntVar(&c.startupRuns, "startup", 30, "alternating runs of `tlscreds --version` and `tlscreds lint DIR` for the start-up times (0: none)")
	fs.BoolVar(&c.prepare, "prepare", false, "only generate (or check the cache of) every tree the other flags name, then exit: run it before a quiet window so that window is spent measuring")
	fs.IntVar(&c.fleetDirs, "fleet", 10000, "directories of lint/metrics' fleet exporter benchmarks (0: not run)")
	if err := fs.Parse(args[1:]); err != nil {
		return c, err
	}
	var err error
	if c.scale, err = parseSizes(*scale); err != nil {
		return c, err
	}
	if c.manifest, err = parseSizes(*manifestSizes); err != nil {
		return c, err
	}
	if *pair != "" {
		if _, err := fmt.Sscanf(*pair, "%dx%d/%d", &c.pairClients, &c.pairServers, &c.pairClientObjs); err != nil || c.pairClients < 1 || c.pairServers < 1 || c.pairClientObjs < 1 {
			return c, fmt.Errorf("-pair %q: want CLIENTSxSERVERS/CLIENT_OBJECTS, like 1000x100/10", *pair)
		}
	}
	if c.rssN == -1 {
		c.rssN = c.n / 10
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	case c.n < 1 || c.rounds < 1 || c.jobs < 1 || c.oneDir < 1 || c.qemuSample < 1 || c.scaleRounds < 1:
		return c, errors.New("-n, -rounds, -jobs, -one-dir, -qemu-sample and -scale-rounds must be at least 1")
	case c.rssN < 0 || c.rssN >= c.n && c.rssN != 0:
		return c, errors.New("-rss-n must be 0 or smaller than -n")
	}
	return c, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "tlscreds-bench: error: %v\n", err)
		return 2
	}
	if err := bench(c, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "tlscreds-bench: error: %v\n", err)
		var h hinted
		if errors.As(err, &h) {
			fmt.Fprintf(stderr, "tlscreds-bench: hint: %s\n", h.hint)
		}
		return 1
	}
	return 0
}

// hinted is an error with the concrete fix.
type hinted struct {
	err  error
	hint string
}

func (h hinted) Error() string { return h.err.Error() }
func (h hinted) Unwrap() error { return h.err }

// tools the harness runs, with the Debian package that has each.
var tools = map[string]string{"openssl": "openssl", "qemu-img": "qemu-utils"}

func bench(c config, stdout, stderr io.Writer) error {
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, "tlscreds-bench: "+format+"\n", a...) }
	for tool, pkg := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			return hinted{fmt.Errorf("%s is not installed", tool), "apt-get install -y " + pkg + " (or `make deps`, which installs every test peer)"}
		}
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.cache, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "tlscreds-bench-bin-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bins := map[string]string{"tlscreds": "./cmd/tlscreds", "floor": "./cmd/tlscreds-bench/floor", "rusage": "./cmd/tlscreds-bench/rusage"}
	for name, pkg := range bins {
		bins[name] = filepath.Join(tmp, name)
		// As `make build` builds them: CGO_ENABLED=0, the release build
		// without urfave/cli's docs code.
		cmd := exec.Command("go", "build", "-trimpath", "-tags", "urfave_cli_no_docs", "-o", bins[name], pkg)
		cmd.Dir, cmd.Stdout, cmd.Stderr = root, stderr, stderr
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build %s: %w", pkg, err)
		}
	}

	opts := treeOptions{KeyTypes: []fixtures.KeyType{fixtures.ECDSAP256, fixtures.RSA2048}, PoolSize: 4}
	opts.Dirs = c.n
	tree, err := ensureTree(c.cache, opts, logf)
	if err != nil {
		return err
	}
	dirs, err := treeDirs(tree)
	if err != nil {
		return err
	}
	var small string
	if c.rssN > 0 {
		opts.Dirs = c.rssN
		if small, err = ensureTree(c.cache, opts, logf); err != nil {
			return err
		}
	}

	if c.prepare {
		return prepareTrees(c, logf)
	}
	m := &measurement{cfg: c, bins: bins, run: runner{helper: bins["rusage"]}, tree: tree, small: small, dirs: dirs, started: time.Now(), loadStart: loadAvg()}
	m.setupTools()
	if err := m.warmUp(logf); err != nil {
		return err
	}
	if err := m.rounds(logf); err != nil {
		return err
	}
	if err := m.oneDirTimes(logf); err != nil {
		return err
	}
	if err := m.scale(logf); err != nil {
		return err
	}
	if err := m.wide(logf); err != nil {
		return err
	}
	if err := m.manifests(logf); err != nil {
		return err
	}
	if err := m.startup(logf); err != nil {
		return err
	}
	if err := m.exporterBench(root, logf); err != nil {
		return err
	}
	if c.goBench {
		logf("running the creds Go benchmarks %d times (-benchtime %s) ...", c.goBenchCount, c.goBenchTime)
		if m.goBench, m.goBenchCmd, err = runGoBench(root, tmp, c.goBenchCount, c.goBenchTime); err != nil {
			return err
		}
	}
	r := m.report(root)
	r.writeText(stdout)
	if c.out != "" {
		out := c.out
		if !filepath.IsAbs(out) {
			out = filepath.Join(root, out)
		}
		if err := spliceResults(out, r.markdown()); err != nil {
			return err
		}
		logf("wrote the results into %s", out)
	}
	return nil
}

// moduleRoot is the directory of the go.mod the harness runs in.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", hinted{errors.New("not inside the tlscreds module"), "run it from the repository: go run ./cmd/tlscreds-bench"}
	}
	return filepath.Dir(gomod), nil
}
