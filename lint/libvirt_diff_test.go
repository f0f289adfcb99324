package lint

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/cryptotest"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/access"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/fixtures/differential"
	"github.com/tlscreds/tlscreds/fixtures/peer"
)

// libvirtDivergences are the cases where `lint --profile libvirt` and
// the real libvirt 9.0 are meant to disagree, each with the reason.
var libvirtDivergences = map[string]string{}

// libvirtCase is one credential directory for the libvirt differential.
type libvirtCase struct {
	name     string
	endpoint string
	write    func(g *fixtures.Generator, dir string) error
	// settings are libvirtd.conf lines (server) or URI parameters
	// (client) the case is loaded with, and lint told about.
	settings []string
}

// libvirtCases are every broken set and good set of the catalogue (in
// libvirt's file names) and the libvirt edge cases.
func libvirtCases() []libvirtCase {
	var cases []libvirtCase
	for _, b := range fixtures.BrokenSets() {
		b := b
		if b.Layout != "" || b.Kind != "" || b.Password != "" || b.VerifyPeerOff || b.Priority != "" {
			continue // not an x509 directory libvirt can load (no layout=, PSK, anon, passwords, verify-peer, priority=)
		}
		cases = append(cases, libvirtCase{name: "broken/" + b.Rule, endpoint: b.Endpoint, settings: b.LibvirtSettings, write: func(g *fixtures.Generator, dir string) error {
			if err := b.Write(g, dir); err != nil {
				return err
			}
			return fixtures.RenameToLibvirt(dir)
		}})
	}
	good := fixtures.GoodSets()
	var names []string
	for n := range good {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		n := n
		ep := "server"
		if strings.HasPrefix(n, "client") {
			ep = "client"
		}
		cases = append(cases, libvirtCase{name: "good/" + n, endpoint: ep, write: func(g *fixtures.Generator, dir string) error {
			if err := good[n](g, dir); err != nil {
				return err
			}
			return fixtures.RenameToLibvirt(dir)
		}})
	}
	for _, e := range fixtures.LibvirtEdgeCases() {
		e := e
		cases = append(cases, libvirtCase{name: "edge/" + e.Name, endpoint: e.Endpoint, write: e.Write, settings: e.Settings})
	}
	return cases
}

// TestDifferentialAgainstLibvirt loads every case in the real libvirt 9.0
// (Debian 12): the server side in libvirtd --listen (as nobody, private
// config, judged by its TLS context log line and exit code), the client
// side in virsh -c qemu+tls://127.0.0.1:PORT/system?pkipath=DIR against a
// libvirtd on loopback. It asserts that lint in the libvirt profile
// refuses exactly what libvirt refuses, with libvirt's own message.
//
// The runs go through the one differential harness (package
// fixtures/differential), as the QEMU differential's do: each verdict is
// cached under the case's content hash and the exact version strings of
// libvirtd and virsh (and, for a client case, the hash of the server it
// connects to), so a second run on the same day starts no libvirt at all.
// Cases are generated with seeded randomness and the day's clock so that
// their bytes, and so their hashes, repeat.
func TestDifferentialAgainstLibvirt(t *testing.T) {
	peer.Require(t, "libvirtd", "virsh")
	ctx := context.Background()
	libvirtd, virsh := libvirtProgram(t, "libvirtd"), libvirtProgram(t, "virsh")
	version, err := libvirtd.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	virshVersion, err := virsh.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cryptotest.SetGlobalRandom(t, 12)
	// libvirt checks validity against the real clock: the day's start
	// is "now" for the whole day (differential.StableClock).
	g := fixtures.New(differential.StableClock(time.Now()))
	runner := differential.NewRunner(differential.DefaultCache())
	runner.Timeout = 2 * time.Minute
	// libvirt runs as nobody when the tests run as root: lint reads the
	// files as that user sees them (--as-user).
	var libvirtUser *access.User
	runsAs := "as the test user"
	if os.Geteuid() == 0 {
		u, err := access.LookupUser("/", "nobody")
		if err != nil {
			t.Fatal(err)
		}
		libvirtUser, runsAs = &u, "as nobody"
	}
	srvFiles := libvirtServerFiles(t, g)
	srvHash := differential.Case{Files: srvFiles}.Hash()

	type prepared struct {
		c    libvirtCase
		dir  string // the case as written, for lint
		dc   differential.Case
		key  []string
		miss bool
	}
	var cases []prepared
	needServer := false
	for _, c := range libvirtCases() {
		base, err := os.MkdirTemp("", "libvirt-case-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(base) })
		if err := os.Chmod(base, 0o755); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(base, "pki")
		if err := c.write(g, dir); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		files, err := differential.FromDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		peer.GiveToNobody(t, dir)
		dc := differential.Case{Name: c.name, Files: files, Args: append([]string{"libvirt", c.endpoint}, c.settings...)}
		key := []string{"libvirt-server", version, runsAs}
		if c.endpoint != "server" {
			key = []string{"libvirt-client", virshVersion, version, "server " + srvHash, runsAs}
		}
		_, hit := runner.Cache.Get(differential.Key(dc.Hash(), key...))
		needServer = needServer || (!hit && c.endpoint != "server")
		cases = append(cases, prepared{c: c, dir: dir, dc: dc, key: key, miss: !hit})
	}
	var srv *peer.Libvirtd
	if needServer {
		srv = libvirtTestServer(t, srvFiles)
	}

	var table []string
	ran := 0
	for _, pc := range cases {
		c, dir := pc.c, pc.dir
		t.Run(c.name, func(t *testing.T) {
			v, err := runner.Do(ctx, pc.dc, pc.key, func(ctx context.Context, caseDir string) (differential.Verdict, error) {
				ran++
				peer.GiveToNobody(t, caseDir)
				var got peer.LibvirtResult
				if c.endpoint == "server" {
					got = peer.LibvirtdLoad(t, peer.LibvirtdConfig{
						CA: caseDir + "/cacert.pem", CRL: caseDir + "/cacrl.pem", Cert: caseDir + "/servercert.pem", Key: caseDir + "/serverkey.pem",
						Settings: libvirtdConfLines(c.settings), Connect: len(c.settings) > 0})
				} else {
					uri := fmt.Sprintf("qemu+tls://%s/system?pkipath=%s", srv.Addr, caseDir)
					for _, s := range c.settings {
						uri += "&" + strings.Replace(s, "priority=", "tls_priority=", 1)
					}
					got = peer.VirshConnect(t, uri, "")
				}
				return got.Verdict(caseDir), nil
			})
			if err != nil {
				t.Fatal(err)
			}
			got := peer.LibvirtResultOf(v)
			sp, _, err := creds.ParseSpec(fmt.Sprintf("tls-creds-x509,id=case,endpoint=%s,layout=libvirt,dir=%s", c.endpoint, dir))
			if err != nil {
				t.Fatal(err)
			}
			o := Options{Profile: ProfileLibvirt, Now: time.Now(), Libvirt: ParseLibvirtSettings(c.settings), AsUser: libvirtUser}
			fs := Check(Target{Spec: sp}, o).Findings
			lintOK := Worst(fs) < Error
			libvirtOK, libvirtMsg := got.Loaded && got.Session == "", got.Message
			libvirtWord := "loads"
			switch {
			case !got.Loaded:
				libvirtWord = "refused"
			case got.Session != "":
				libvirtWord, libvirtMsg = "sessions fail", got.Session
			}
			libvirtMsg = strings.ReplaceAll(libvirtMsg, differential.DirWord, dir)
			lintWord := "ok"
			if !lintOK {
				lintWord = "error"
			}
			row := fmt.Sprintf("| %s | %s | %s | %s |", c.name, c.endpoint, libvirtWord, lintWord)
			defer func() { table = append(table, row) }()
			if reason, ok := libvirtDivergences[c.name]; ok {
				row += " " + reason
				if lintOK == libvirtOK {
					t.Errorf("listed as a divergence (%s) but lint and libvirt agree (%s): remove it from the list", reason, libvirtWord)
				}
				return
			}
			if lintOK != libvirtOK {
				t.Errorf("%s: libvirt %s (%s), lint --profile libvirt ok=%v: %v", version, libvirtWord, libvirtMsg, lintOK, summary(fs))
				return
			}
			if !libvirtOK && !quotesLibvirt(fs, dir, libvirtMsg) {
				t.Errorf("libvirt: %q; no error finding quotes that message: %v", libvirtMsg, summary(fs))
			}
		})
	}
	t.Logf("%d cases, %d run in libvirt, %d from the %s", len(cases), ran, len(cases)-ran, runner.Cache)
	if path := os.Getenv("LIBVIRT_DIFF_TABLE"); path != "" {
		out := "| case | endpoint | " + version + " | lint --profile libvirt |\n| --- | --- | --- | --- |\n" + strings.Join(table, "\n") + "\n"
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// libvirtProgram is one of libvirt's programs for the harness, found
// where the tests find it.
func libvirtProgram(t *testing.T, name string) *differential.Program {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		for _, dir := range []string{"/usr/sbin", "/sbin"} {
			if p := filepath.Join(dir, name); exists(p) {
				path, err = p, nil
				break
			}
		}
	}
	if err != nil {
		t.Fatalf("%s: %v (apt-get install -y libvirt-daemon libvirt-clients)", name, err)
	}
	return &differential.Program{Path: path}
}

// quotesLibvirt reports whether an error finding carries libvirt's
// message: its Consumer template, with each %s standing for any text,
// matches what libvirt printed.
func quotesLibvirt(fs []Finding, dir, msg string) bool {
	for _, f := range fs {
		if f.Severity < Error || f.Consumer == "" {
			continue
		}
		parts := strings.Split(f.Consumer, "%s")
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		if regexp.MustCompile("^" + strings.Join(parts, ".*") + "$").MatchString(msg) {
			return true
		}
	}
	return false
}

// libvirtServerFiles are the files of the TLS server the client cases
// connect to: a good server set in libvirt's names. Their hash is part of
// every client case's cache key.
func libvirtServerFiles(t *testing.T, g *fixtures.Generator) []differential.File {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pki")
	if err := fixtures.GoodSets()["server-ecdsa"](g, dir); err != nil {
		t.Fatal(err)
	}
	if err := fixtures.RenameToLibvirt(dir); err != nil {
		t.Fatal(err)
	}
	files, err := differential.FromDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// libvirtTestServer starts the server the client cases connect to: a
// libvirtd over files, stopped when the test ends.
func libvirtTestServer(t *testing.T, files []differential.File) *peer.Libvirtd {
	t.Helper()
	base, err := os.MkdirTemp("", "libvirt-server-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "pki")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := (differential.Case{Name: "server", Files: files}).Write(dir); err != nil {
		t.Fatal(err)
	}
	peer.GiveToNobody(t, dir)
	d := peer.StartLibvirtd(t, peer.LibvirtdConfig{CA: dir + "/cacert.pem", Cert: dir + "/servercert.pem", Key: dir + "/serverkey.pem",
		Settings: []string{"tls_no_verify_certificate = 1"}})
	if r := d.Result(); !r.Loaded {
		t.Fatalf("the test server did not start: %s\n%s", r.Message, r.Log)
	}
	return d
}

// libvirtdConfLines renders a case's settings as libvirtd.conf lines.
func libvirtdConfLines(settings []string) []string {
	var out []string
	for _, e := range settings {
		k, v, _ := strings.Cut(e, "=")
		switch k {
		case "no_sanity":
			out = append(out, "tls_no_sanity_certificate = "+v)
		case "no_verify":
			out = append(out, "tls_no_verify_certificate = "+v)
		case "priority":
			out = append(out, fmt.Sprintf("tls_priority = %q", v))
		case "allowed_dn":
			out = append(out, fmt.Sprintf("tls_allowed_dn_list = [%q]", v))
		}
	}
	return out
}
