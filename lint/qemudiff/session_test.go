package qemudiff

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/cryptotest"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/fixtures/differential"
	"github.com/tlscreds/tlscreds/lint"
)

// provenQEMUNBD is the NBD server of the session differential: Debian 12's.
const provenQEMUNBD = "qemu-nbd 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)"

// TestQEMUSessionPriority proves priority-invalid with real TLS sessions:
// QEMU hands priority= to GnuTLS only when a session starts, so
// `qemu-img info ... driver=null-co` loads any string. Debian's qemu-nbd
// 7.2.22 serves an export over TLS on 127.0.0.1 (one server per credential
// type); each proven qemu-img opens it as an NBD client with a client
// object of each case's type and priority= (differential.QEMUSessionCases). The session's verdict must
// be lint's (no error, or an error of class session-fails), and the line
// qemu-img prints must end in the consumer_message lint quotes for that
// build. Verdicts are cached by case content, the qemu-img and qemu-nbd
// version strings and the server's files; the server starts only when a
// verdict is missing.
func TestQEMUSessionPriority(t *testing.T) {
	nbd, err := exec.LookPath("qemu-nbd")
	if err != nil {
		t.Fatalf("qemu-nbd not found: the session differential needs Debian 12's (apt-get install -y qemu-utils; make deps installs it)")
	}
	nbdProg := &differential.Program{Path: nbd}
	nbdVersion, err := nbdProg.Version(context.Background())
	// qemu-nbd names itself by argv[0], path and all.
	if prog, rest, ok := strings.Cut(nbdVersion, " "); ok && filepath.Base(prog) == "qemu-nbd" {
		nbdVersion = "qemu-nbd " + rest
	}
	if err != nil || nbdVersion != provenQEMUNBD {
		t.Fatalf("%s --version: %q, %v; the session differential is proven with %q (Debian 12's qemu-utils)", nbd, nbdVersion, err, provenQEMUNBD)
	}
	var progs []*differential.Program
	for _, b := range qemuBinaries {
		progs = append(progs, findQEMU(t, b))
	}

	cryptotest.SetGlobalRandom(t, 11) // the same keys every run: stable hashes, a warm cache
	g := fixtures.New(differential.StableClock(time.Now()))
	servers, cases, err := differential.QEMUSessionCases(g)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 20 {
		t.Fatalf("%d session cases; the differential needs at least 20", len(cases))
	}
	serverOf := map[string]differential.SessionServer{}
	for _, sv := range servers {
		serverOf[sv.Kind] = sv
	}
	runner := differential.NewRunner(differential.DefaultCache())
	runner.Timeout = 30 * time.Second
	ctx := context.Background()

	type job struct {
		sc  differential.SessionCase
		b   qemuBinary
		p   *differential.Program
		key []string
	}
	var jobs []job
	missing := map[string]bool{} // server kinds some verdict is missing for
	for i, b := range qemuBinaries {
		ver, err := progs[i].Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, sc := range cases {
			if sc.Kind == "tls-creds-anon" && b.profile == lint.ProfileQEMU1020 {
				// qemu-img 10.2.0 dies of SIGSEGV opening any NBD export
				// with a tls-creds-anon client object, whatever priority=
				// says (measured; 7.2.22, 10.0.0 and 10.1.0 do not).
				continue
			}
			key := []string{"nbd-client-session", ver, nbdVersion, "server " + sc.Kind + " " + differential.Case{Files: serverOf[sc.Kind].Files}.Hash()}
			if _, hit := runner.Cache.Get(differential.Key(sc.Hash(), key...)); !hit {
				missing[sc.Kind] = true
			}
			jobs = append(jobs, job{sc, b, progs[i], key})
		}
	}
	srvs := map[string]*differential.NBDServer{}
	for _, sv := range servers {
		if !missing[sv.Kind] {
			continue
		}
		srv, err := differential.StartNBDServer(ctx, nbd, sv, 30*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Stop()
		srvs[sv.Kind] = srv
	}

	start := time.Now()
	equal, ran := 0, 0
	table := map[string][]string{} // kind + priority: verdict per build
	for _, j := range jobs {
		v, err := runner.Do(ctx, j.sc.Case, j.key, func(ctx context.Context, dir string) (differential.Verdict, error) {
			ran++
			return differential.Exec(ctx, runner.Timeout, dir, "", nil, nil, j.p.Path, srvs[j.sc.Kind].Args(j.sc.Case, dir)...)
		})
		if err != nil {
			t.Fatal(err)
		}
		if v.Code == -1 {
			t.Errorf("%s with %s: timed out", j.sc.Name, j.b.profile)
			continue
		}
		word := "works"
		if !v.OK() {
			word = "fails"
		}
		row := j.sc.Kind + " " + j.sc.Priority
		table[row] = append(table[row], word)
		if msg := sessionMismatch(t, j.sc, j.b.profile, v); msg != "" {
			t.Errorf("%s with %s: %s", j.sc.Name, j.b.profile, msg)
			continue
		}
		equal++
	}
	t.Logf("%d sessions (%d cases, %d builds): %d equal in verdict and message; %d run (%.1f s), %d from the %s",
		len(jobs), len(cases), len(progs), equal, ran, time.Since(start).Seconds(), len(jobs)-ran, runner.Cache)
	for _, sc := range cases {
		row := sc.Kind + " " + sc.Priority
		t.Logf("%-60s %s", row, strings.Join(table[row], " "))
	}
}

// sessionMismatch compares one session with lint's verdict on the client
// object in profile p; "" when they agree.
func sessionMismatch(t *testing.T, sc differential.SessionCase, p lint.Profile, v differential.Verdict) string {
	t.Helper()
	dir := t.TempDir()
	if err := (differential.Case{Files: sc.Files}).Write(dir); err != nil {
		t.Fatal(err)
	}
	sp, _, err := creds.ParseSpec(sc.ObjectSpec(dir))
	if err != nil {
		t.Fatalf("%s: %v", sc.Name, err)
	}
	fs := lint.Check(lint.Target{Spec: sp}, lint.Options{Profile: p, Now: time.Now()}).Findings
	var errs []string
	var quoted string
	for _, f := range fs {
		if f.Severity < lint.Error {
			continue
		}
		errs = append(errs, f.Rule+": "+f.Message)
		if f.Rule == "priority-invalid" {
			quoted = f.Consumer
		}
	}
	lines := v.Lines()
	switch {
	case v.OK() && len(errs) > 0:
		return fmt.Sprintf("the session works; lint says %v", errs)
	case v.OK():
		return ""
	case quoted == "":
		return fmt.Sprintf("the session fails (%q); lint says %v", lines, errs)
	case len(lines) == 0 || !strings.HasSuffix(lines[len(lines)-1], "': "+quoted):
		return fmt.Sprintf("qemu-img printed %q; lint quotes %q", lines, quoted)
	}
	if cl := ruleClass("priority-invalid", p); cl != lint.ClassSessionFails {
		return fmt.Sprintf("priority-invalid is %s in %s, want session-fails", cl, p)
	}
	return ""
}

func ruleClass(id string, p lint.Profile) lint.Class {
	for _, r := range lint.Rules() {
		if r.ID == id {
			return r.ClassOf(p)
		}
	}
	return ""
}
