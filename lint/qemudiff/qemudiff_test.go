package qemudiff

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/cryptotest"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/fixtures/differential"
	"github.com/tlscreds/tlscreds/lint"
)

// qemuBinary is one real qemu-img the profiles are proven against.
type qemuBinary struct {
	env     string // environment variable that names it (.ci/run exports it)
	shared  string // its place under ../shared/qemu, "" for Debian's
	profile lint.Profile
}

var qemuBinaries = []qemuBinary{
	{"TLSCREDS_QEMU_IMG_10_2", "qemu/10.2/qemu-img", lint.ProfileQEMU1020},
	{"TLSCREDS_QEMU_IMG_10_1", "qemu/10.1/qemu-img", lint.ProfileQEMU1010},
	{"TLSCREDS_QEMU_IMG_10_0", "qemu/10.0/qemu-img", lint.ProfileQEMU1000},
	{"TLSCREDS_QEMU_IMG_7_2", "", lint.ProfileQEMU72},
}

// findQEMU returns the program of b, or fails the test with a hint: a
// missing binary is a broken test machine, never a reason to skip.
func findQEMU(t *testing.T, b qemuBinary) *differential.Program {
	t.Helper()
	path := os.Getenv(b.env)
	if path == "" && b.shared == "" {
		path, _ = exec.LookPath("qemu-img")
		if path == "" {
			path = "/usr/bin/qemu-img"
		}
	}
	if path == "" {
		// Outside .ci/run: look for shared/ beside a parent of the module.
		if wd, err := os.Getwd(); err == nil {
			for d := wd; d != filepath.Dir(d); d = filepath.Dir(d) {
				if p := filepath.Join(d, "shared", b.shared); fileExists(p) {
					path = p
					break
				}
			}
		}
	}
	hint := fmt.Sprintf("set %s to the qemu-img of %s (.ci/run exports it: ../shared/%s; Debian's 7.2: apt-get install -y qemu-utils)", b.env, b.profile, b.shared)
	if path == "" || !fileExists(path) {
		t.Fatalf("qemu-img for profile %s not found (%q); %s", b.profile, path, hint)
	}
	p := &differential.Program{Path: path}
	v, err := p.Version(context.Background())
	if err != nil {
		t.Fatalf("%v; %s", err, hint)
	}
	build, _ := b.profile.Build()
	if v != build.Proven {
		t.Fatalf("%s is %q, but profile %s is proven against %q; %s", path, v, b.profile, build.Proven, hint)
	}
	return p
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// diffCase is one case of the differential: what QEMU runs and what lint
// reads.
type diffCase struct {
	c      differential.Case
	spec   func(dir string) string // the object spec lint reads
	secret string                  // a secret object spec, or ""
	bullet string
}

// casesFromDir reads a directory written by fixtures into case files.
func casesFromDir(t *testing.T, dir string) []differential.File {
	t.Helper()
	files, err := differential.FromDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// allDiffCases is every broken set, every good set and the generated
// edge cases, generated deterministically so their hashes (and so the
// verdict cache) hold for the day.
func allDiffCases(t *testing.T) []diffCase {
	cryptotest.SetGlobalRandom(t, 11)
	g := fixtures.New(differential.StableClock(time.Now()))
	var out []diffCase
	tmp := t.TempDir()
	add := func(name, bullet string, b fixtures.Broken, write func(string) error) {
		dir := filepath.Join(tmp, strings.ReplaceAll(name, "/", "_"))
		if err := write(dir); err != nil {
			t.Fatal(err)
		}
		var objects []string
		if sec := b.SecretSpec(); sec != "" {
			objects = append(objects, sec)
		}
		spec := func(d string) string {
			s := b.ObjectSpec(d)
			if b.Kind == "" && !b.VerifyPeerOff {
				s += ",verify-peer=yes"
			}
			return s
		}
		objects = append(objects, spec(differential.DirWord))
		out = append(out, diffCase{
			c:    differential.Case{Name: name, Files: casesFromDir(t, dir), Args: differential.QEMUObjectArgs(objects...)},
			spec: spec, secret: b.SecretSpec(), bullet: bullet,
		})
	}
	for _, b := range fixtures.BrokenSets() {
		if b.Layout != "" {
			continue // a tlscreds extension (layout=): not a spec QEMU parses
		}
		if b.Priority != "" {
			continue // QEMU loads any priority=: TestQEMUSessionPriority proves it
		}
		b := b
		add("broken/"+b.Rule, "broken sets", b, func(dir string) error { return b.Write(g, dir) })
	}
	good := fixtures.GoodSets()
	var names []string
	for n := range good {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ep := "server"
		if strings.HasPrefix(n, "client") {
			ep = "client"
		}
		write := good[n]
		add("good/"+n, "good sets", fixtures.Broken{Endpoint: ep}, func(dir string) error { return write(g, dir) })
	}
	qcs, err := differential.QEMUCases(g)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qcs {
		q := q
		dc := diffCase{c: q.Case, spec: q.ObjectSpec, bullet: q.Bullet}
		if q.Password != "" {
			dc.secret = "secret,id=sec0,data=" + q.Password
		}
		out = append(out, dc)
	}
	return out
}

// lintVerdict lints a case directory in profile p: in process, or through
// the command run as the case's user when it has one (so that file modes
// mean to lint what they mean to QEMU). It returns whether lint passes,
// its errors and warnings ("rule: message"), and the consumer messages it
// quotes, with the case directory written as differential.DirWord as in
// QEMU's verdict.
func lintVerdict(t *testing.T, dc diffCase, dir string, p lint.Profile, cli string) (bool, []string, []string, []quote, string) {
	var errs, warns []string
	var quotes []quote
	add := func(rule, sev, msg, consumer string) {
		switch sev {
		case "error":
			errs = append(errs, rule+": "+msg)
		case "warning":
			warns = append(warns, rule+": "+msg)
		}
		if consumer != "" || sev == "error" { // every error, in order, for firstErrorMismatch
			quotes = append(quotes, quote{sev, rule, strings.ReplaceAll(consumer, dir, differential.DirWord)})
		}
	}
	if dc.c.User != "" {
		v, err := differential.Exec(context.Background(), time.Minute, dir, dc.c.User, nil, nil, cli,
			"lint", "--profile", string(p), "--format", "json", "--object", dc.spec(dir))
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Results []struct {
				ConsumerFirst string `json:"consumer_first_message"`
				Findings      []struct {
					Rule, Severity, Message string
					Consumer                string `json:"consumer_message"`
				}
			}
		}
		if err := json.NewDecoder(strings.NewReader(v.Output)).Decode(&doc); err != nil {
			t.Fatalf("lint as %s: exit %d, %v, output %q", dc.c.User, v.Code, err, v.Output)
		}
		first := ""
		for _, r := range doc.Results {
			first = r.ConsumerFirst
			for _, f := range r.Findings {
				add(f.Rule, f.Severity, f.Message, f.Consumer)
			}
		}
		return len(errs) == 0, errs, warns, quotes, strings.ReplaceAll(first, dir, differential.DirWord)
	}
	var specs creds.Specs
	if dc.secret != "" {
		if err := specs.Add(dc.secret); err != nil {
			t.Fatal(err)
		}
	}
	if err := specs.Add(dc.spec(dir)); err != nil {
		t.Fatalf("%s: %v", dc.c.Name, err)
	}
	pw, err := specs.Password(specs.Objects[0])
	if err != nil {
		t.Fatal(err)
	}
	res := lint.Check(lint.Target{Spec: specs.Objects[0], Password: pw}, lint.Options{Profile: p, Now: time.Now()})
	for _, f := range res.Findings {
		add(f.Rule, f.Severity.String(), f.Message, f.Consumer)
	}
	return len(errs) == 0, errs, warns, quotes, strings.ReplaceAll(res.ConsumerFirst, dir, differential.DirWord)
}

// quote is a finding's consumer_message, with its severity and rule.
type quote struct{ sev, rule, text string }

// qemuMessages are the lines QEMU printed about the object, without the
// program prefix "qemu-img: " that error_report puts before every line:
// the same message follows "qemu-system-x86_64: " or "qemu-nbd: ", so the
// prefix is the one thing normalised. Object ids need no normalising: no
// message of the x509 loader names the object. A warning keeps its
// "warning: " (warn_report's, in every QEMU program).
func qemuMessages(v differential.Verdict) []string {
	var out []string
	for _, l := range v.Lines() {
		if m, ok := strings.CutPrefix(l, "qemu-img: "); ok {
			out = append(out, m)
		}
	}
	return out
}

// messageMismatch compares what QEMU printed with what lint quotes, where
// the verdicts agree: every error line QEMU printed must be the
// consumer_message of one of lint's errors (QEMU stops at its first
// problem; lint reports them all, so lint may quote more), every warning
// line must be quoted by a finding, and when QEMU loads the object, each
// warning lint quotes must be one QEMU printed. It returns "" when they
// agree.
func messageMismatch(v differential.Verdict, quotes []quote) string {
	msgs := qemuMessages(v)
	var missing []string
	for _, m := range msgs {
		found := false
		for _, q := range quotes {
			if q.text == m && (q.sev == "error" || strings.HasPrefix(m, "warning: ")) {
				found = true
			}
		}
		if !found {
			missing = append(missing, m)
		}
	}
	var extra []string
	if v.OK() {
		for _, q := range quotes {
			if strings.HasPrefix(q.text, "warning: ") && !slices.Contains(msgs, q.text) {
				extra = append(extra, q.rule+": "+q.text)
			}
		}
	}
	if len(missing) == 0 && len(extra) == 0 {
		return ""
	}
	var lq []string
	for _, q := range quotes {
		if q.sev == "error" || strings.HasPrefix(q.text, "warning: ") {
			lq = append(lq, q.sev+" "+q.rule+": "+q.text)
		}
	}
	return fmt.Sprintf("QEMU printed %q, not quoted by lint; lint quotes %q that QEMU did not print; lint quotes: %q", missing, extra, lq)
}

// firstErrorMismatch checks the order: QEMU stops at its first error, so
// the first error line it printed must be lint's consumer_first_message,
// exactly. It returns "" when they agree or QEMU printed no error.
func firstErrorMismatch(v differential.Verdict, first string) string {
	want := qemuFirstError(v)
	if want == "" || want == first {
		return ""
	}
	return fmt.Sprintf("QEMU stops at %q, but lint's consumer_first_message is %q", want, first)
}

// qemuFirstError is the first error line QEMU printed, "" for none.
func qemuFirstError(v differential.Verdict) string {
	for _, m := range qemuMessages(v) {
		if !strings.HasPrefix(m, "warning: ") {
			return m
		}
	}
	return ""
}

// outputFirstDiffers reports whether lint's first error in output order
// (CompareFindings) quotes another message than the one QEMU stops at:
// the cases where consumer_first_message is needed.
func outputFirstDiffers(v differential.Verdict, quotes []quote) bool {
	want := qemuFirstError(v)
	for _, q := range quotes {
		if q.sev == "error" {
			return want != "" && q.text != want
		}
	}
	return false
}

// messageExemptions are the cases (name @ profile) whose quoted message
// lint cannot make equal to QEMU's, with the reason; docs/rules.md lists
// them. The test fails when one of them agrees after all, and when any
// other case disagrees: no silent skips.
var messageExemptions = map[string]string{}

// buildCLI builds the command where every user can run it.
func buildCLI(t *testing.T) string {
	dir, err := os.MkdirTemp("", "tlscreds-cli-")
	if err == nil {
		err = os.Chmod(dir, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "tlscreds")
	out, err := exec.Command("go", "build", "-tags", "urfave_cli_no_docs", "-o", bin, "github.com/tlscreds/tlscreds/cmd/tlscreds").CombinedOutput()
	if err != nil {
		t.Fatalf("building the command: %v\n%s", err, out)
	}
	return bin
}

// TestQEMUVersionsDifferential runs the real qemu-img of every proven
// build over every broken set, every good set and the generated edge
// cases of fixtures/differential, and asserts that lint in the build's
// profile passes exactly when that QEMU loads the directory, that every
// line QEMU prints is quoted (messageMismatch), and that the line QEMU
// stops at is lint's consumer_first_message exactly. Verdicts are
// cached by case content and the binary's exact version string
// ($TLSCREDS_DIFF_CACHE, see fixtures/differential).
func TestQEMUVersionsDifferential(t *testing.T) {
	cases := allDiffCases(t)
	results := runDifferential(t, cases)
	agree := make([]int, len(qemuBinaries))
	msgAgree := make([]int, len(qemuBinaries))
	msgExempt := make([]int, len(qemuBinaries))
	reordered := make([]int, len(qemuBinaries)) // first error in output order is not QEMU's
	firstAgree := make([]int, len(qemuBinaries))
	exemptSeen := map[string]bool{}
	for i, dc := range cases {
		for j, b := range qemuBinaries {
			r := results[i][j]
			if r.qemu.Code == -1 || r.ok != r.qemu.OK() {
				continue // runDifferential reported it
			}
			agree[j]++
			key := dc.c.Name + " @ " + string(b.profile)
			why, exempt := messageExemptions[key]
			if fe := firstErrorMismatch(r.qemu, r.first); fe != "" {
				t.Errorf("%s: %s", key, fe)
			} else {
				firstAgree[j]++
			}
			if outputFirstDiffers(r.qemu, r.quotes) {
				reordered[j]++
			}
			switch mm := messageMismatch(r.qemu, r.quotes); {
			case mm == "" && exempt:
				t.Errorf("%s: exempt from message equality (%s), but lint quotes QEMU exactly: remove the exemption", key, why)
			case mm == "":
				msgAgree[j]++
			case exempt:
				exemptSeen[key] = true
				msgExempt[j]++
			default:
				t.Errorf("%s: %s", key, mm)
			}
		}
	}
	for key := range messageExemptions {
		if !exemptSeen[key] && !t.Failed() {
			t.Errorf("exemption %q matches no case of the differential", key)
		}
	}
	var table strings.Builder
	fmt.Fprintf(&table, "| profile | real binary | cases | verdicts equal | messages equal | messages exempt | first error equal | output order differs |\n|---|---|---|---|---|---|---|---|\n")
	for j, b := range qemuBinaries {
		build, _ := b.profile.Build()
		fmt.Fprintf(&table, "| %s | %s | %d | %d | %d | %d | %d | %d |\n", b.profile, build.Proven, len(cases), agree[j], msgAgree[j], msgExempt[j], firstAgree[j], reordered[j])
	}
	t.Logf("agreement (verdicts and quoted messages):\n%s", table.String())
	if out := os.Getenv("TLSCREDS_DIFF_TABLE"); out != "" {
		os.WriteFile(out, []byte(table.String()), 0o644)
	}
}

// outcome is one case run by one QEMU build and linted in its profile.
type outcome struct {
	qemu  differential.Verdict
	ok    bool     // lint passes (no error)
	lintE []string // lint's errors, "rule: message"
	lintW []string // lint's warnings, "rule: message"
	// quotes are the consumer messages of lint's findings (every error's,
	// "" when it quotes none), in lint's output order
	quotes []quote
	// first is the result's consumer_first_message
	first string
}

// runDifferential runs every case through every QEMU build (through the
// verdict cache) and lint in every profile, fails the test on every
// disagreement, and returns the outcomes, [case][binary].
func runDifferential(t *testing.T, cases []diffCase) [][]outcome {
	if os.Geteuid() != 0 {
		t.Fatal("the differential runs QEMU as nobody to make files unreadable and must run as root, as `make test` does in CI")
	}
	progs := make([]*differential.Program, len(qemuBinaries))
	for i, b := range qemuBinaries {
		progs[i] = findQEMU(t, b)
	}
	var cli string
	for _, dc := range cases {
		if dc.c.User != "" {
			cli = buildCLI(t)
			break
		}
	}
	runner := differential.NewRunner(differential.DefaultCache())
	runner.Timeout = time.Minute
	results := make([][]outcome, len(cases))
	var mu sync.Mutex
	var firstErr error
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < max(2, runtime.GOMAXPROCS(0)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				dc := cases[i]
				row := make([]outcome, len(progs))
				for j, p := range progs {
					v, err := runner.Run(context.Background(), p, dc.c)
					if err != nil {
						mu.Lock()
						firstErr = fmt.Errorf("%s on %s: %w", p.Path, dc.c.Name, err)
						mu.Unlock()
						return
					}
					row[j].qemu = v
				}
				results[i] = row
			}
		}()
	}
	for i := range cases {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		t.Fatal(firstErr)
	}
	// Lint every case in every profile, on one copy of the directory.
	for i, dc := range cases {
		dir, cleanup, err := runner.Materialise(dc.c)
		if err != nil {
			t.Fatal(err)
		}
		for j, b := range qemuBinaries {
			r := &results[i][j]
			r.ok, r.lintE, r.lintW, r.quotes, r.first = lintVerdict(t, dc, dir, b.profile, cli)
		}
		cleanup()
	}
	for i, dc := range cases {
		for j, b := range qemuBinaries {
			r := results[i][j]
			if r.qemu.Code == -1 {
				t.Errorf("%s: %s timed out", dc.c.Name, b.profile)
				continue
			}
			if r.ok != r.qemu.OK() {
				t.Errorf("%s: %s loads=%v (%s); lint --profile %s pass=%v %v", dc.c.Name, b.profile, r.qemu.OK(),
					strings.Join(r.qemu.Lines(), " | "), b.profile, r.ok, r.lintE)
			}
		}
	}
	return results
}
