package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// goBenchPattern selects the creds benchmarks whose ratios are targets.
const goBenchPattern = "^(BenchmarkHandshake|BenchmarkServerHandshake|BenchmarkGetConfigForClient)$"

// envBenchReverse is creds/bench_test.go's switch that runs each compared
// pair of sub-benchmarks in reverse order.
const envBenchReverse = "TLSCREDS_BENCH_REVERSE"

// benchLine matches one result line of `go test -bench`, e.g.
// "BenchmarkHandshake/factory-2  219  1024875 ns/op  975.7 handshakes/s".
var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+(\d+)\s+(.*)$`)

// benchResults holds the samples of `go test -bench` output: per
// benchmark name (without the GOMAXPROCS suffix) and unit ("ns/op",
// "allocs/op", "handshakes/s"), one value per run, in run order.
type benchResults map[string]map[string][]float64

func parseGoBench(out []byte) benchResults {
	res := benchResults{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		f := strings.Fields(m[3])
		if res[m[1]] == nil {
			res[m[1]] = map[string][]float64{}
		}
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				break
			}
			res[m[1]][f[i+1]] = append(res[m[1]][f[i+1]], v)
		}
	}
	return res
}

// median is the median of a benchmark's metric over the runs (0 when
// there is none).
func (r benchResults) median(name, unit string) float64 {
	return medianOf(r[name][unit])
}

// ratio is the median over the runs of num's metric divided by den's.
// runGoBench runs the two next to each other in every round, so pairing
// them cancels what drifts between rounds (other load on the machine)
// better than a ratio of medians.
func (r benchResults) ratio(num, den, unit string) float64 {
	return pairedMedian(r[num][unit], r[den][unit])
}

// pairedMedian is the median of a[i]/b[i] over the runs both have.
func pairedMedian(a, b []float64) float64 {
	var q []float64
	for i := range min(len(a), len(b)) {
		if b[i] != 0 {
			q = append(q, a[i]/b[i])
		}
	}
	return medianOf(q)
}

// ratioUnits is the median over the runs of one benchmark's metric num
// divided by its metric den (two metrics of the same runs).
func (r benchResults) ratioUnits(name, num, den string) float64 {
	return pairedMedian(r[name][num], r[name][den])
}

// Names of the handshake benchmarks (creds/bench_peer_test.go and
// creds/bench_test.go).
const (
	serverBench = "BenchmarkServerHandshake/"
	oneProcess  = "BenchmarkHandshake/"
	interleaved = serverBench + "factory+static"
)

// factoryRatio is the factory config's throughput as a share of the
// static config's: in the server process, where the two are served in
// turn within each run (a handshake each), the median of the runs' ratios
// of their times per handshake; the one-process ratio, from separate
// sub-benchmarks, is described beside it. 0 when the server-process
// benchmark did not run.
func (r benchResults) factoryRatio() (float64, string) {
	const fUnit, sUnit = "factory-µs/handshake", "static-µs/handshake"
	q := r.ratioUnits(interleaved, sUnit, fUnit)
	if q == 0 {
		return 0, ""
	}
	text := fmt.Sprintf("%.3f× (server process, clients in another, the two served in turn; median of %d runs; %.0f vs %.0f µs a handshake)",
		q, len(r[interleaved][fUnit]), r.median(interleaved, fUnit), r.median(interleaved, sUnit))
	return q, text + r.oneProcessRatio("factory", "static")
}

// sniRatio is the throughput with 10,000 objects as a share of that with
// one: in the server process, each case in its own sub-benchmark (10,000
// loaded objects load the collector for everything in their process),
// the median of the runs' ratios. 0 when it did not run.
func (r benchResults) sniRatio() (float64, string) {
	sub, base := serverBench+"sni-objects=10000", serverBench+"sni-objects=1"
	q := r.ratio(base, sub, "ns/op")
	if q == 0 {
		return 0, ""
	}
	lo, hi := spread(r[base]["ns/op"], r[sub]["ns/op"])
	text := fmt.Sprintf("%.3f× (server process, clients in another; median of %d paired runs, spread %.3f–%.3f; %.0f vs %.0f handshakes/s)",
		q, len(r[sub]["ns/op"]), lo, hi, r.median(sub, "handshakes/s"), r.median(base, "handshakes/s"))
	return q, text + r.oneProcessRatio("sni-objects=10000", "sni-objects=1")
}

// oneProcessRatio describes sub's throughput as a share of base's in
// BenchmarkHandshake (clients in the same process), "" if it did not run.
func (r benchResults) oneProcessRatio(sub, base string) string {
	q := r.ratio(oneProcess+base, oneProcess+sub, "ns/op")
	if q == 0 {
		return ""
	}
	lo, hi := spread(r[oneProcess+base]["ns/op"], r[oneProcess+sub]["ns/op"])
	return fmt.Sprintf("; clients in the same process: %.3f× (spread %.3f–%.3f; %.0f vs %.0f handshakes/s)",
		q, lo, hi, r.median(oneProcess+sub, "handshakes/s"), r.median(oneProcess+base, "handshakes/s"))
}

// spread is the smallest and largest of a[i]/b[i] over the runs.
func spread(a, b []float64) (lo, hi float64) {
	for i := range min(len(a), len(b)) {
		if b[i] == 0 {
			continue
		}
		q := a[i] / b[i]
		if lo == 0 || q < lo {
			lo = q
		}
		hi = max(hi, q)
	}
	return lo, hi
}

func medianOf(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// runGoBench builds the creds test binary once and runs the benchmarks
// count times, one run of each per invocation: `go test -count N` would
// run every sub-benchmark N times in a row, and then a slow minute on the
// machine lands on one side of a comparison. Run this way, the
// sub-benchmarks compared with each other run back to back in every round,
// and every other round in reverse order (envBenchReverse), so that
// whatever favours the first or the second of a pair is on both sides.
func runGoBench(root, tmp string, count int, benchtime string) (benchResults, string, error) {
	bin := filepath.Join(tmp, "creds.test")
	build := exec.Command("go", "test", "-c", "-o", bin, "./creds")
	build.Dir, build.Stdout, build.Stderr = root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return nil, "", fmt.Errorf("go test -c ./creds: %w", err)
	}
	args := []string{"-test.run", "^$", "-test.bench", goBenchPattern, "-test.benchmem", "-test.count", "1", "-test.benchtime", benchtime}
	var all []byte
	for i := range count {
		cmd := exec.Command(bin, args...)
		cmd.Dir = filepath.Join(root, "creds")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", envBenchReverse, i%2))
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, "", fmt.Errorf("creds.test %s: %w\n%s", strings.Join(args, " "), err, out)
		}
		all = append(all, out...)
	}
	desc := fmt.Sprintf("go test -run '^$' -bench '%s' -benchmem -benchtime %s ./creds", goBenchPattern, benchtime)
	return parseGoBench(all), fmt.Sprintf("%s, %d times, every other time with %s=1", desc, count, envBenchReverse), nil
}
