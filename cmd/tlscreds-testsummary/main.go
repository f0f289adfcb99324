// Command tlscreds-testsummary reads `go test -json` on standard input and
// prints what a person reads after `make test`: one line per package as it
// finishes, the output of every failed test, and a last line
// "N passed, N failed, N skipped" that names the failures. With -state it
// adds its counts to a file instead of printing that line, and -total
// prints the line over every run added, so `make test` ends with one line over its race run and its
// benchmark run. It exits 1 when anything failed (a test, a benchmark, a
// package that did not build) or the input is not what go test writes.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
)

func main() {
	state := flag.String("state", "", "add this run's counts to `FILE` (created when missing)")
	total := flag.Bool("total", false, "print the summary of every run added to -state, and nothing else")
	name := flag.String("name", "", "what the run is, for its package lines")
	flag.Parse()
	var s summary
	if *total {
		if *state == "" {
			fmt.Fprintln(os.Stderr, "tlscreds-testsummary: -total needs -state")
			os.Exit(2)
		}
		if err := s.load(*state); err != nil {
			fmt.Fprintf(os.Stderr, "tlscreds-testsummary: %v\n", err)
			os.Exit(2)
		}
		fmt.Println(s.line())
		if s.failed() {
			os.Exit(1)
		}
		return
	}
	s.read(os.Stdin, os.Stdout, *name)
	if *state != "" {
		// The line comes once, from -total, over every run.
		if err := s.add(*state); err != nil {
			fmt.Fprintf(os.Stderr, "tlscreds-testsummary: %v\n", err)
			os.Exit(2)
		}
	} else {
		fmt.Println(s.line())
	}
	if s.failed() {
		os.Exit(1)
	}
}

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

// summary counts test results; it is also the -state file's content.
type summary struct {
	Passed, Failed, Skipped int
	// Failures names each failed test as "package TestName/sub", or a
	// package that failed without a failed test (a build failure, a
	// panic in TestMain, a timeout).
	Failures []string
	// Garbled counts input lines that are not go test's JSON.
	Garbled int
}

type testKey struct{ pkg, test string }

// read consumes one go test -json stream, printing package lines and the
// output of failures to w as they come.
func (s *summary) read(r io.Reader, w io.Writer, name string) {
	output := map[testKey][]string{}     // kept until the test ends
	running := map[testKey]bool{}        // started, no result yet
	failedTests := map[string][]string{} // package → failed tests
	prefix := ""
	if name != "" {
		prefix = name + ": "
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			// go vet or the build talking outside the JSON stream.
			s.Garbled++
			fmt.Fprintf(w, "%s\n", line)
			continue
		}
		k := testKey{e.Package, e.Test}
		switch e.Action {
		case "run":
			if e.Test != "" {
				running[k] = true
			}
		case "build-output":
			fmt.Fprint(w, e.Output) // a compile error: shown at once
		case "output":
			// Kept until the test (or, for package output, the package)
			// ends: shown only if it fails.
			output[k] = append(output[k], e.Output)
		case "pass", "fail", "skip":
			if e.Test != "" {
				delete(running, k)
				switch e.Action {
				case "pass":
					s.Passed++
				case "skip":
					s.Skipped++
				case "fail":
					s.Failed++
					failedTests[e.Package] = append(failedTests[e.Package], e.Test)
					for _, o := range output[k] {
						fmt.Fprint(w, "    "+o)
					}
				}
				delete(output, k)
				continue
			}
			// The package ended: benchmarks report no result of their own.
			// They failed only if the package failed and no test did (a
			// panic in a benchmark).
			for rk := range running {
				if rk.pkg != e.Package {
					continue
				}
				if e.Action == "fail" && len(failedTests[e.Package]) == 0 {
					s.Failed++
					failedTests[e.Package] = append(failedTests[e.Package], rk.test)
				} else {
					s.Passed++
				}
				delete(running, rk)
			}
			switch e.Action {
			case "pass":
				fmt.Fprintf(w, "%sok    %s %.1fs\n", prefix, e.Package, e.Elapsed)
			case "skip":
				fmt.Fprintf(w, "%s-     %s (no tests)\n", prefix, e.Package)
			case "fail":
				fmt.Fprintf(w, "%sFAIL  %s %.1fs\n", prefix, e.Package, e.Elapsed)
				if len(failedTests[e.Package]) == 0 {
					for _, o := range output[testKey{e.Package, ""}] {
						fmt.Fprint(w, "    "+o)
					}
					s.Failed++
					s.Failures = append(s.Failures, e.Package+" (no test failed: see the output above)")
				}
				for _, t := range leaves(failedTests[e.Package]) {
					s.Failures = append(s.Failures, e.Package+" "+t)
				}
			}
			delete(output, testKey{e.Package, ""})
		}
	}
	if err := sc.Err(); err != nil {
		s.Garbled++
		fmt.Fprintf(w, "reading go test's output: %v\n", err)
	}
}

// leaves are the failed tests none of whose subtests failed: the ones to
// look at.
func leaves(tests []string) []string {
	var out []string
	for _, t := range tests {
		parent := false
		for _, u := range tests {
			if strings.HasPrefix(u, t+"/") {
				parent = true
				break
			}
		}
		if !parent {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func (s *summary) failed() bool { return s.Failed > 0 || len(s.Failures) > 0 || s.Garbled > 0 }

// line is the summary line: counts, then the failures by name.
func (s *summary) line() string {
	l := fmt.Sprintf("%d passed, %d failed, %d skipped", s.Passed, s.Failed, s.Skipped)
	if s.Garbled > 0 {
		l += fmt.Sprintf(", %d lines of output that are not go test's JSON (see above)", s.Garbled)
	}
	if len(s.Failures) > 0 {
		l += "; failed: " + strings.Join(s.Failures, ", ")
	}
	return l
}

func (s *summary) load(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, s)
}

// add merges s into the state file.
func (s *summary) add(path string) error {
	var prev summary
	if err := prev.load(path); err != nil && !os.IsNotExist(err) {
		return err
	}
	prev.Passed += s.Passed
	prev.Failed += s.Failed
	prev.Skipped += s.Skipped
	prev.Garbled += s.Garbled
	prev.Failures = append(prev.Failures, s.Failures...)
	data, err := json.Marshal(prev)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
