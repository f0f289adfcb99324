package diagnose

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/fixtures/peer"
	rec "github.com/tlscreds/tlscreds/fixtures/recorder"
	"github.com/tlscreds/tlscreds/lint"
)

// recordingsDir holds the committed recordings of real clients.
const recordingsDir = "testdata/recordings"

var (
	record    = flag.Bool("record", false, "re-record the outputs of real clients into testdata/recordings (make record)")
	recordOne = flag.String("record-only", "", "with -record or the live test: only these scenarios (comma-separated)")
	// recordProbe re-records diagnose's own verdict (Recording.Probe)
	// from the live run and nothing else: the peers' outputs stay as
	// recorded, so their grades do not move with it.
	recordProbe = flag.Bool("record-probe", false, "with the live test: rewrite only diagnose's recorded verdicts with today's")
	// recordTimes writes how long each scenario took (replayTimes), which
	// later runs read to start the slowest first.
	recordTimes = flag.Bool("record-times", false, "with the live test: write each scenario's duration to "+replayTimes)
)

// replayTimes holds how long each live scenario took in a whole replay
// (make record-times writes it): the live test starts the slowest first,
// so that the replay does not end waiting on a slow scenario that started
// last. A scenario it does not list (a new one) starts before the listed.
const replayTimes = "testdata/replay-seconds.txt"

// TestRecordedClientsReproduce runs every scenario of the recorder live
// (real misconfigured servers, real clients) and checks that what each
// program prints today is classified as its committed recording is: the
// recording still reproduces. It also measures diagnose against every
// live server. With -record it writes the recordings instead.
func TestRecordedClientsReproduce(t *testing.T) {
	if !rec.InNetNS() {
		peer.Require(t, "unshare", "ip")
		l := early
		if l == nil {
			l = startLive()
		}
		<-l.done
		if l.err != nil || testing.Verbose() {
			t.Logf("in the network namespace:\n%s", l.out)
		}
		if l.err != nil {
			t.Fatalf("the live scenarios failed (%v); `make record` re-records after an intended change", l.err)
		}
		return
	}
	var only []string
	if *recordOne != "" {
		only = strings.Split(*recordOne, ",")
	}
	first, err := slowestFirst(replayTimes)
	if err != nil {
		t.Fatal(err)
	}
	// committed are the recordings, read once: for the sample under
	// -race, else after the replay.
	var committed []rec.Recording
	if raceEnabled && only == nil && !*record && !*recordProbe && !*recordTimes {
		// Under the race detector the harness's own concurrency is what
		// is checked (scenarios at once, the interpreters' daemons,
		// diagnose's probe): a sample does that. The whole replay is
		// real programs' time, and its race-instrumented driver alone
		// took 210 s of CPU of make test's 2,080 (2026-12-08, 2 cores):
		// make test runs it without -race, beside the race run.
		if committed, err = rec.Load(recordingsDir); err != nil {
			t.Fatal(err)
		}
		only = raceSample(first, committed, raceSampleSize)
		t.Logf("built with -race: replaying a sample of %d scenarios (%s); without -race, every scenario", len(only), strings.Join(only, ", "))
	}
	took := map[string]time.Duration{}
	recs, err := rec.Run(rec.Options{Work: t.TempDir(), Only: only, Parallel: replayParallel, Probe: probeScenario, First: first,
		Progress: func(name string, d time.Duration) {
			t.Logf("%-40s %s", name, d.Round(time.Millisecond))
			took[name] = d
		},
		// A step of 2 s or more is logged: where a slow scenario's
		// time goes (a client waiting out its timeout, a server slow to
		// start).
		Step: func(name, step string, d time.Duration) {
			if d >= 2*time.Second {
				t.Logf("%-40s   %s took %s", name, step, d.Round(time.Millisecond))
			}
		}})
	if err != nil {
		t.Error(err)
	}
	if *recordTimes {
		if err := writeReplayTimes(replayTimes, took); err != nil {
			t.Error(err)
		}
	}
	if *record {
		if err := rec.Save(*recordingsOut, recs); err != nil {
			t.Fatal(err)
		}
		t.Logf("recorded %d scenarios into %s", len(recs), *recordingsOut)
		return
	}
	if committed == nil {
		if committed, err = rec.Load(recordingsDir); err != nil {
			t.Fatal(err)
		}
	}
	byName := map[string]rec.Recording{}
	for _, r := range committed {
		byName[r.Scenario] = r
	}
	problems := map[string][]string{}
	var rerecorded, reprobed []rec.Recording
	for _, live := range recs {
		old, ok := byName[live.Scenario]
		if !ok {
			t.Errorf("scenario %s has no recording: run `make record`", live.Scenario)
			continue
		}
		if live.Probe != old.Probe {
			t.Logf("%s: diagnose said %s when recorded, now %s (the true cause: %s)", live.Scenario, old.Probe, live.Probe, old.Cause)
			if *recordProbe {
				r := old
				r.Probe = live.Probe
				reprobed = append(reprobed, r)
			}
		}
		if p := compareRecording(t, old, live); len(p) > 0 {
			problems[live.Scenario] = p
		}
		if r, changed := withNewVersions(old, live); changed {
			rerecorded = append(rerecorded, r)
		}
	}
	if len(reprobed) > 0 {
		if err := rec.Save(*recordingsOut, reprobed); err != nil {
			t.Errorf("re-recording diagnose's verdicts: %v", err)
		}
		t.Logf("re-recorded diagnose's verdict in %d recordings", len(reprobed))
	}
	// A peer whose version changed is re-recorded: its output today
	// replaces the one recorded with the other version (commit the
	// files; the accuracy table follows with `make record`'s regrade).
	if len(rerecorded) > 0 {
		if err := rec.Save(recordingsDir, rerecorded); err != nil {
			t.Errorf("re-recording the peers whose version changed: %v", err)
		} else {
			t.Logf("re-recorded %d scenarios in %s: a peer's version changed", len(rerecorded), recordingsDir)
		}
	}
	if len(problems) == 0 {
		return
	}
	// Clients racing a server that refuses them after a TLS 1.3
	// handshake print one of a few messages; a second run settles
	// whether a difference is such a race or a change.
	var again []string
	for name := range problems {
		again = append(again, name)
	}
	t.Logf("running again: %v", again)
	// Two at a time: the first run may have differed because six
	// scenarios at once starved a loaded machine.
	recs, err = rec.Run(rec.Options{Work: t.TempDir(), Only: again, Probe: probeScenario, Parallel: 2})
	if err != nil {
		t.Error(err)
	}
	for _, live := range recs {
		if p := compareRecording(t, byName[live.Scenario], live); len(p) > 0 {
			for _, x := range problems[live.Scenario] {
				t.Log("first run: " + x)
			}
			for _, x := range p {
				t.Error(x)
			}
		}
	}
}

// replayParallel is how many live scenarios the replay runs at once:
// most of a scenario's time is waiting (clients' timeouts, servers
// starting). Measured on 2 cores after round 61 (735 scenarios): 453 s
// at eight, 378 s at ten, every recording reproduced at the first run.
const replayParallel = 10

// live is a run of the live scenarios in their network namespace: a child
// test binary, its output and how it ended.
type live struct {
	done   chan struct{}
	cancel context.CancelFunc
	out    []byte
	err    error
}

// early is the live run TestMain started before the package's other tests
// (nil when it did not): the replay is mostly waiting on servers and
// clients, so it overlaps with the rest of the package instead of adding
// to it (make test's race run: about 5 minutes of other tests).
var early *live

// startLive starts the live scenarios in a network namespace with the
// flags this test binary was given.
func startLive() *live {
	args := []string{"-test.run=^TestRecordedClientsReproduce$", "-test.v", "-test.count=1"}
	if *record {
		abs, _ := filepath.Abs(*recordingsOut)
		args = append(args, "-record", "-recordings="+abs)
	}
	if *recordOne != "" {
		args = append(args, "-record-only="+*recordOne)
	}
	if *recordProbe {
		abs, _ := filepath.Abs(*recordingsOut)
		args = append(args, "-record-probe", "-recordings="+abs)
	}
	if *recordTimes {
		args = append(args, "-record-times")
	}
	// A bound on the whole run: at its end unshare is killed, and with
	// it every server and client in the namespaces.
	args = append(args, "-test.timeout="+(liveBudget-30*time.Second).String())
	ctx, cancel := context.WithTimeout(context.Background(), liveBudget)
	l := &live{done: make(chan struct{}), cancel: cancel}
	go func() {
		defer close(l.done)
		defer cancel()
		l.out, l.err = rec.ReExecInNetNS(ctx, args).CombinedOutput()
		if ctx.Err() != nil {
			l.err = fmt.Errorf("killed after %s: %w", liveBudget, l.err)
		}
	}()
	return l
}

// startLiveEarly starts the live scenarios from TestMain when this run
// selects TestRecordedClientsReproduce, outside the namespace, with
// unshare and ip installed (the test itself says what is missing).
func startLiveEarly() {
	const name = "TestRecordedClientsReproduce"
	if rec.InNetNS() || !selected(name) {
		return
	}
	for _, tool := range []string{"unshare", "ip"} {
		if _, err := exec.LookPath(tool); err != nil {
			if _, err := os.Stat("/usr/sbin/" + tool); err != nil {
				return
			}
		}
	}
	early = startLive()
}

// stopLiveEarly ends a live run nobody waited for (the test did not run to
// its end): unshare is killed, and with it every server and client.
func stopLiveEarly() {
	if early != nil {
		early.cancel()
		<-early.done
	}
}

// selected says whether -test.run and -test.skip select the top-level
// test name (flags parsed).
func selected(name string) bool {
	match := func(flagName string) (bool, bool) {
		f := flag.Lookup(flagName)
		if f == nil || f.Value.String() == "" {
			return false, false
		}
		pat := strings.Split(f.Value.String(), "/")[0]
		ok, err := regexp.MatchString(pat, name)
		return ok, err == nil
	}
	if ok, set := match("test.run"); set && !ok {
		return false
	}
	if ok, set := match("test.skip"); set && ok {
		return false
	}
	return true
}

// liveBudget bounds the live scenarios, a second run of the ones that
// differed included. The replay of rounds 1 to 23 takes about 11 minutes
// on 2 idle cores (2026-12-06); the bound leaves room for a slower or
// busier machine and stays inside make test's 30-minute go test timeout.
const liveBudget = 25 * time.Minute

var recordingsOut = flag.String("recordings", recordingsDir, "where -record writes")

// compareRecording says where what the programs print today no longer
// reads as their recording does. An output reproduces when explain
// classifies it as the recorded one, or when it is another wording of
// the failure that explain grades at least as well against the ground
// truth.
func compareRecording(t *testing.T, old, live rec.Recording) []string {
	t.Helper()
	var problems []string
	oldBy := map[string]rec.Output{}
	for _, o := range old.Outputs {
		oldBy[o.Stack] = o
	}
	grade := map[string]int{"right": 2, "partly": 1, "wrong": 0}
	for _, o := range live.Outputs {
		was, ok := oldBy[o.Stack]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s / %s: not in the recording", live.Scenario, o.Stack))
			continue
		}
		if was.Version != o.Version {
			// Not a regression of ours: another version of the program
			// prints what it prints; the test re-records it.
			t.Logf("%s / %s: the peer's version changed (%q, recorded with %q): re-recorded", live.Scenario, o.Stack, o.Version, was.Version)
			continue
		}
		a, b := classify(was), classify(o)
		if a == b {
			continue
		}
		vb, _ := verdict(old, o)
		if !was.OK && !o.OK {
			va, _ := verdict(old, was)
			if grade[vb] >= grade[va] {
				continue
			}
		}
		if sc, ok := rec.Lookup(old.Scenario); ok && sc.Racy() && (o.OK || grade[vb] >= grade["partly"] || racyReading(old.Cause, o) || readByAnother(old, o) || silentServer(o) || b == "unrecognised") {
			// One of the outcomes the race allows: still read with the
			// true cause among the causes, or read as another client
			// of the same server read what it got (the server's alert
			// instead of the hang-up after it), or nothing printed
			// that says why (wget2 prints "Failed to read N bytes" only
			// when its read meets the server's alert, its progress line
			// alone when the hang-up comes first: nghttpx requiring a
			// client certificate, a whole replay of session 19).
			continue
		}
		problems = append(problems, fmt.Sprintf("%s / %s: the recording no longer reproduces: recorded %s, now %s\nrecorded: %s\nnow:      %s",
			live.Scenario, o.Stack, a, b, oneLine(was.Text), oneLine(o.Text)))
	}
	if old.Probe != live.Probe && live.Probe != old.Cause && !racyRefusal(old, live) {
		// diagnose naming the true cause where it named another when
		// recorded reads at least as well, as for the outputs above (a
		// GnuTLS server refusing a client certificate after a TLS 1.3
		// handshake races diagnose as it races the clients).
		problems = append(problems, fmt.Sprintf("%s: diagnose said %s when recorded, now %s", live.Scenario, old.Probe, live.Probe))
	}
	return problems
}

// racyRefusal says whether diagnose's verdicts on a racy scenario
// (recorder.Scenario.Racy) are two readings of a server refusing the
// client's certificate after the handshake: whether diagnose reads the
// server's alert or only the hang-up after it depends on timing, as it
// does for the clients (measured on gnutls-client-same-name-ca:
// handshake-authz-denied in two runs, handshake-revoked and
// handshake-client-cert-rejected in others).
func racyRefusal(old, live rec.Recording) bool {
	sc, ok := rec.Lookup(old.Scenario)
	if !ok || !sc.Racy() {
		return false
	}
	refusal := []string{cause.ClientCertRejected, cause.Revoked, cause.AuthzDenied}
	return slices.Contains(refusal, old.Probe) && slices.Contains(refusal, live.Probe)
}

// withNewVersions returns old with each output whose program's version
// changed replaced by today's, and whether there was any.
func withNewVersions(old, live rec.Recording) (rec.Recording, bool) {
	liveBy := map[string]rec.Output{}
	for _, o := range live.Outputs {
		liveBy[o.Stack] = o
	}
	out := old
	out.Outputs = slices.Clone(old.Outputs)
	changed := false
	for i, o := range out.Outputs {
		if n, ok := liveBy[o.Stack]; ok && n.Version != o.Version {
			out.Outputs[i] = n
			changed = true
		}
	}
	return out, changed
}

// racyReading: a client whose connection the server hung up on after a
// TLS 1.3 handshake (a reset, a broken pipe, an EOF) cannot know why it
// was refused; for a revoked certificate, explain reading it as the
// server's refusal of the client's certificate is right.
func racyReading(truth string, o rec.Output) bool {
	return truth == cause.Revoked && slices.Contains(Headline(Explain(o.Text)), cause.ClientCertRejected)
}

// silentServer says o is a server log with nothing in it: a racing
// server logs a failure only when it happens at a certain point (memcached
// logs a failed handshake only when it fails as the connection is
// accepted, round 54), so in a Race scenario an empty log is one of the
// outcomes the race allows.
func silentServer(o rec.Output) bool {
	return o.Stack == rec.StackServer && strings.TrimSpace(o.Text) == ""
}

// readByAnother says whether o reads as the recorded output of another
// client of the same scenario does (the server log aside).
func readByAnother(r rec.Recording, o rec.Output) bool {
	c := classify(o)
	for _, x := range r.Outputs {
		if x.Stack != o.Stack && x.Stack != rec.StackServer && !x.OK && classify(x) == c {
			return true
		}
	}
	return false
}

// classify is how an output reads: "ok" for a success, else the first
// cause explain gives ("unrecognised" when none).
func classify(o rec.Output) string {
	if o.OK {
		return "ok"
	}
	h := Headline(Explain(o.Text))
	if len(h) == 0 {
		return "unrecognised"
	}
	return h[0]
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " | ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// probeScenario runs diagnose against a live scenario server as its
// clients connect, and returns the first error's cause ("ok" when the
// handshake and the first read succeed).
func probeScenario(sc rec.Scenario, tg rec.Target) string {
	// Timeouts as the recorder's clients have them: long enough for a
	// loaded 2-core machine.
	o := ProbeOptions{ServerName: tg.Host, Timeout: 8 * time.Second}
	if tg.Wait > 0 {
		// A server that stays silent (rec.Scenario.ShortWait): as
		// its clients, diagnose gives up sooner.
		o.Timeout = tg.Wait
	}
	// As the CLI reads --ca, --cert and --key: a client object over the
	// loose files; an identity that does not load is the diagnosis.
	props := []string{"endpoint", "client", "ca", tg.CA}
	if tg.Cert != "" {
		props = append(props, "cert", tg.Cert, "key", tg.Key)
	}
	sp, err := creds.NewSpec(creds.KindX509, "client", props...)
	if err == nil {
		err = o.UseSpec(sp, nil)
	}
	if err != nil {
		return "client object: " + err.Error()
	}
	if tg.TLS12Only {
		// As the clients do: at most TLS 1.2.
		o.MaxVersion = tls.VersionTLS12
	}
	if sc.Migration {
		// A migration destination accepts one connection, the
		// source's: a probe would consume it (and a TLS handshake is
		// no migration stream), so diagnose is not asked.
		return "n/a"
	}
	if sc.Postgres {
		// As psql does: the SSLRequest before the handshake, the
		// StartupMessage after it (user: the client certificate's
		// common name, as cert authentication maps it).
		o.StartTLS = StartTLSPostgres
		return firstError(Probe(context.Background(), tg.Addr, o))
	}
	if sc.LDAP {
		// slapd: a client speaking plain LDAP is not diagnose's to
		// imitate. On ldap:// it probes as `tlscreds diagnose
		// ldap://HOST:PORT` does: the StartTLS extended operation,
		// the handshake, then "Who am I?". Over ldaps:// as
		// `tlscreds diagnose HOST:PORT`: TLS directly, nothing sent
		// after the handshake (what follows is LDAP).
		if tg.HTTP {
			return "n/a"
		}
		if sc.LDAPStartTLS {
			o.StartTLS = StartTLSLDAP
		}
		return firstError(Probe(context.Background(), tg.Addr, o))
	}
	if sc.Redis {
		// Redis speaks TLS directly on its tls-port and RESP after the
		// handshake, so nothing is sent: as `tlscreds diagnose
		// HOST:PORT` does. redis-cli speaking plain RESP to the TLS
		// port is the client's mistake, not diagnose's to imitate.
		if tg.HTTP {
			return "n/a"
		}
		return firstError(Probe(context.Background(), tg.Addr, o))
	}
	if sc.Mail != "" {
		// Postfix, Exim, OpenSMTPD (round 49) and Dovecot: a client
		// speaking plain SMTP or IMAP is not diagnose's to imitate. On
		// a STARTTLS port it probes as `tlscreds diagnose
		// smtp://HOST:PORT` (imap://) does: the
		// greeting, EHLO (CAPABILITY) and STARTTLS, then the
		// handshake; for clients speaking TLS at once (smtps://,
		// imaps://) as `tlscreds diagnose HOST:PORT`: TLS directly,
		// nothing sent after the handshake.
		if tg.HTTP {
			return "n/a"
		}
		if !sc.MailImplicit {
			o.StartTLS = map[string]string{"smtp": StartTLSSMTP, "imap": StartTLSIMAP}[sc.Mail]
		}
		return firstError(Probe(context.Background(), tg.Addr, o))
	}
	if sc.MariaDB {
		// As the mariadb client does: MySQL's SSLRequest after the
		// server's greeting, then the handshake; as `tlscreds diagnose
		// mariadb://HOST:PORT` does.
		o.StartTLS = StartTLSMySQL
		return firstError(Probe(context.Background(), tg.Addr, o))
	}
	if sc.Mosquitto || sc.Memcached || sc.Spamd || sc.Mumble || sc.Kamailio || sc.NRPE {
		// Servers that speak TLS directly and their own protocol after
		// the handshake (MQTT, memcached's text protocol, SPAMC,
		// Mumble's, SIP over TLS, NRPE's packets), so nothing is sent:
		// as `tlscreds diagnose HOST:PORT` does. Their clients speaking
		// plain text to the TLS port (mosquitto_pub, pymemcache, spamc
		// without --ssl, a Mumble client without TLS, sipsak over TCP,
		// check_nrpe -n) are the
		// clients' mistake, not diagnose's to imitate.
		if tg.HTTP {
			return "n/a"
		}
		return firstError(Probe(context.Background(), tg.Addr, o))
	}
	if sc.Libvirt || sc.Chardev || sc.NTSKE || sc.TURN {
		// libvirtd's TLS port, QEMU's TLS chardev (round 51), NTS-KE
		// (chronyd and ntpd, rounds 53 and 60) and coturn's TLS
		// listener (round 45): TLS directly and the protocol after the
		// handshake (libvirt's RPC, the monitor's banner, NTS-KE
		// records, TURN), so nothing is sent and no application
		// protocol offered: as `tlscreds diagnose HOST:PORT` is run by a
		// user with the server's name, the scenario's CA and client
		// credentials.
		return firstError(Probe(context.Background(), tg.Addr, o))
	}
	if sc.FTP {
		// vsftpd and ProFTPD (round 47): a client speaking plain FTP
		// is not diagnose's to imitate. On an explicit port it probes
		// as `tlscreds diagnose ftp://HOST:PORT` does: the greeting and
		// AUTH TLS, then the handshake, nothing sent after it; for
		// clients speaking TLS at once (ftps://) as `tlscreds diagnose
		// ftps://HOST:PORT`: TLS directly.
		if tg.HTTP {
			return "n/a"
		}
		if !sc.FTPImplicit {
			o.StartTLS = StartTLSFTP
		}
		return firstError(Probe(context.Background(), tg.Addr, o))
	}
	if sc.XMPP {
		// Prosody (round 19): a client that does not start TLS is not
		// diagnose's to imitate. As `tlscreds diagnose xmpp://HOST:PORT`
		// does: a stream to the host as the domain, <starttls/>, the
		// handshake, nothing sent after it. ejabberd (round 44): for
		// clients speaking direct TLS (XEP-0368) as `tlscreds diagnose
		// HOST:PORT` does: TLS directly, nothing sent after the
		// handshake.
		if tg.HTTP {
			return "n/a"
		}
		if !sc.XMPPDirect {
			o.StartTLS = StartTLSXMPP
		}
		return firstError(Probe(context.Background(), tg.Addr, o))
	}
	if sc.NBD {
		// qemu-nbd or nbd-server (round 15). As qemu-img and nbdinfo
		// do: NBD_OPT_STARTTLS after the NBD greeting,
		// nothing sent after the handshake. A client without TLS is
		// not diagnose's to imitate.
		if sc.QEMUClient.Plain {
			return "n/a"
		}
		o.StartTLS = StartTLSNBD
		return firstError(Probe(context.Background(), tg.Addr, o))
	}
	if tg.Backend != "" {
		// HAProxy's backend (round 17): the clients speak plain HTTP to
		// HAProxy, which is no TLS server of theirs; an operator probes
		// the backend as `tlscreds diagnose 127.0.0.1:BACKPORT` does
		// (TLS directly, nothing sent after the handshake), with the CA
		// HAProxy's ca-file names and the name its verifyhost checks.
		o.ServerName = tg.BackendHost
		if o.ServerName == "" {
			o.ServerName = "127.0.0.1"
		}
		return firstError(Probe(context.Background(), tg.Backend, o))
	}
	if sc.VNC {
		// QEMU's VNC server (round 59): RFB's VeNCrypt negotiation up to
		// an X509 subtype, then TLS, as `tlscreds diagnose HOST:PORT
		// --starttls vnc` is run by a user with the scenario's client
		// credentials. A viewer without VeNCrypt is not diagnose's to
		// imitate.
		if tg.HTTP {
			return "n/a"
		}
		o.StartTLS = StartTLSVNC
		return firstError(Probe(context.Background(), tg.Addr, o))
	}
	if sc.DNS && !tg.HTTP {
		// DNS over TLS (Unbound, dnsdist, BIND, Knot Resolver): TLS
		// directly and DNS after the handshake, so nothing is sent and
		// no application protocol offered: as `tlscreds diagnose
		// HOST:853` does. A plain DNS client on the TLS port is probed
		// below, as plain HTTP is.
		return firstError(Probe(context.Background(), tg.Addr, o))
	}
	// As the clients do: a URL, so an HTTP request after the handshake,
	// or an http:// URL for the scenarios whose clients speak plain HTTP.
	target, err := ParseTarget("https://" + tg.Addr + "/")
	if err != nil {
		return err.Error()
	}
	target.Host = tg.Host
	if tg.HTTP {
		o.PlainHTTP = true
	} else {
		o.Send, o.HTTP, o.ReadWait, o.ALPN = target.HTTPRequest("/"), true, 5*time.Second, []string{"http/1.1"}
		o.ALPNImplied = true
	}
	return firstError(Probe(context.Background(), tg.Addr, o))
}

// firstError is the cause of the first error diagnose finds in r ("ok"
// when the handshake and the first read succeeded).
func firstError(r Report) string {
	for _, f := range Diagnose(r) {
		if f.Severity == lint.Error {
			return f.Rule
		}
	}
	if r.OK {
		return "ok"
	}
	return "unexplained"
}

// slowestFirst reads the scenarios' durations ([readReplayTimes]) and
// returns the scenarios of today's recorder it does not list, then those
// it lists, the slowest first.
func slowestFirst(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the replay's durations: %w (the live test with -record-times writes them)", err)
	}
	secs, err := parseReplayTimes(path, data)
	if err != nil {
		return nil, err
	}
	var unknown, known []string
	for _, sc := range rec.Scenarios() {
		if _, ok := secs[sc.Name]; ok {
			known = append(known, sc.Name)
		} else {
			unknown = append(unknown, sc.Name)
		}
	}
	sort.SliceStable(known, func(i, j int) bool { return secs[known[i]] > secs[known[j]] })
	return append(unknown, known...), nil
}

// raceSampleSize is how many scenarios the live test replays under the
// race detector: as many as it runs at once, so that the harness runs
// them concurrently as in a whole replay.
const raceSampleSize = replayParallel

// raceSample picks n scenarios from byTime (slowest first, as
// slowestFirst returns them): the quickest of as many server families
// (a name's first word, its round's digits dropped) among the scenarios
// whose recordings (recs) hold at least 15 outputs, the ones every web
// client runs against (the Python, Java and Node daemons, Go in the
// harness's own process), quickest first.
func raceSample(byTime []string, recs []rec.Recording, n int) []string {
	outputs := map[string]int{}
	for _, r := range recs {
		outputs[r.Scenario] = len(r.Outputs)
	}
	var out []string
	seen := map[string]bool{}
	for i := len(byTime) - 1; i >= 0 && len(out) < n; i-- {
		family, _, _ := strings.Cut(byTime[i], "-")
		family = strings.TrimRight(family, "0123456789")
		if !seen[family] && outputs[byTime[i]] >= 15 {
			seen[family] = true
			out = append(out, byTime[i])
		}
	}
	return out
}

// parseReplayTimes reads the durations file's lines: a scenario's name, a
// tab, its seconds.
func parseReplayTimes(path string, data []byte) (map[string]float64, error) {
	secs := map[string]float64{}
	for i, line := range strings.Split(string(data), "\n") {
		if line == "" {
			continue
		}
		name, v, ok := strings.Cut(line, "\t")
		f, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil {
			return nil, fmt.Errorf("%s:%d: want NAME<TAB>SECONDS, got %q", path, i+1, line)
		}
		secs[name] = f
	}
	return secs, nil
}

// writeReplayTimes writes the durations, sorted by name, over those
// already in path (a run of some scenarios keeps the others').
func writeReplayTimes(path string, took map[string]time.Duration) error {
	secs := map[string]float64{}
	if data, err := os.ReadFile(path); err == nil {
		if secs, err = parseReplayTimes(path, data); err != nil {
			return err
		}
	}
	for name, d := range took {
		secs[name] = d.Seconds()
	}
	names := make([]string, 0, len(secs))
	for name := range secs {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		fmt.Fprintf(&b, "%s\t%.1f\n", name, secs[name])
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
