package creds_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/tlscreds/tlscreds/fixtures"
)

// errExpired is what notExpired refuses with.
var errExpired = errors.New("certificate expired")

// notExpired is a sanity check ([creds.LoadOptions.Check]) that refuses
// an identity certificate expired at the test clock, as QEMU's "The
// certificate has expired" does.
func notExpired(m *creds.Material) error {
	for _, f := range m.FilesOf(creds.RoleCert) {
		for _, c := range f.Certs {
			if labClock().After(c.NotAfter) {
				return fmt.Errorf("%s: %w at %s", f.Path, errExpired, c.NotAfter.Format(time.RFC3339))
			}
		}
	}
	return nil
}

// rotation writes files into a server directory one by one, each renamed
// into place as deployment tools do.
type rotation struct {
	t   *testing.T
	dir string
}

func (r rotation) write(name string, data []byte) {
	r.t.Helper()
	if _, err := fixtures.WriteFiles(r.dir, []fixtures.File{{Name: name, Data: data, Mode: 0o600}}, true); err != nil {
		r.t.Fatal(err)
	}
}

func (r rotation) cert(c *fixtures.Cert) { r.write("server-cert.pem", c.ChainPEM()) }

func (r rotation) key(c *fixtures.Cert) {
	r.t.Helper()
	pem, err := c.KeyPEM(privkey.PKCS8, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	r.write("server-key.pem", pem)
}

// TestWatchRotationUnderLoad is the proof the reload design rests on: 32
// clients handshake in a loop while the server's files rotate 200 times,
// good and bad, and the watcher polls. No handshake may fail; after each
// good rotation the new certificate is served, after each bad one the
// old one still is.
//
// A good rotation writes the certificate, polls (the key no longer
// matches: refused, the old pair stays), then the key, and polls again.
// The bad ones: a certificate whose key never comes, an expired
// certificate with its key, and garbage.
func TestWatchRotationUnderLoad(t *testing.T) {
	const (
		clients   = 32
		rotations = 200
	)
	g := fixtures.New(fixtures.TestClock)
	p := labPKI(t, fixtures.PKIOptions{})
	dir := labWriteDir(t, p.ServerDir())
	sp, _, err := creds.ParseSpec("tls-creds-x509,id=srv,endpoint=server,dir=" + dir)
	if err != nil {
		t.Fatal(err)
	}
	reg := creds.NewRegistry()
	src, err := reg.Add(sp, creds.LoadOptions{Now: labClock, Check: notExpired})
	if err != nil {
		t.Fatal(err)
	}
	srvCfg := labServerConfig(t, src, creds.ServerOptions{ClientAuth: creds.ClientAuthNone})
	srv := labServe(t, srvCfg)
	cliSrc := labSource(t, "tls-creds-x509,id=cli,dir="+labWriteDir(t, fixtures.Dir{CA: p.CABundle()}))
	cli := labClientConfig(t, cliSrc, "localhost", creds.ClientOptions{})

	// The certificates of every rotation are made before the load starts.
	leaves := make([]*fixtures.Cert, rotations)
	for i := range leaves {
		s := fixtures.Spec{DNSNames: []string{"localhost"}}
		if i%5 == 3 { // expired at the test clock
			s.NotBefore, s.NotAfter = labClock().Add(-2*fixtures.Year), labClock().Add(-fixtures.Year)
		}
		if leaves[i], err = g.Server(p.Root, s); err != nil {
			t.Fatal(err)
		}
	}

	var (
		stop       atomic.Bool
		handshakes atomic.Int64
		failures   atomic.Int64
		firstErr   atomic.Pointer[error]
		wg         sync.WaitGroup
	)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				if _, err := labDial(srv.Addr, cli); err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, &err)
				}
				handshakes.Add(1)
			}
		}()
	}

	w := creds.NewWatcher(reg)
	poll := func() []creds.Event {
		var evs []creds.Event
		w.Poll(func(e creds.Event) { evs = append(evs, e) })
		return evs
	}
	if evs := poll(); len(evs) != 0 {
		t.Fatalf("first poll of unchanged files: %+v", evs)
	}
	// served checks what the next handshake gets: the certificate of the
	// config it would use, and on every tenth check a real handshake
	// (under this load each takes a while).
	probes := 0
	served := func(step string, want *x509.Certificate) {
		t.Helper()
		inner, err := srvCfg.GetConfigForClient(&tls.ClientHelloInfo{ServerName: "localhost"})
		if err != nil || !servedLeaf(t, &inner.Certificates[0]).Equal(want) {
			t.Fatalf("%s: the config serves serial %X, want %X (%v)", step, servedLeaf(t, &inner.Certificates[0]).SerialNumber, want.SerialNumber, err)
		}
		if probes++; probes%10 != 0 {
			return
		}
		st, err := labDial(srv.Addr, cli)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if !st.PeerCertificates[0].Equal(want) {
			t.Fatalf("%s: a handshake got serial %X, want %X", step, st.PeerCertificates[0].SerialNumber, want.SerialNumber)
		}
	}
	refused := func(step string, evs []creds.Event, is error) {
		t.Helper()
		if len(evs) != 1 || evs[0].Err == nil || evs[0].Changed || (is != nil && !errors.Is(evs[0].Err, is)) {
			t.Fatalf("%s: events %+v, want one refusal wrapping %v", step, evs, is)
		}
	}

	current, gen := p.Server, src.Gen()
	r := rotation{t, dir}
	good, bad := 0, 0
	for i := range rotations {
		step := fmt.Sprintf("rotation %d", i)
		switch i % 5 {
		case 0, 1: // good: certificate first, then its key
			next := leaves[i]
			r.cert(next)
			refused(step+" (certificate written, key not yet)", poll(), creds.ErrKeyMismatch)
			served(step+" (half written)", current.Cert)
			r.key(next)
			evs := poll()
			if len(evs) != 1 || !evs[0].Changed || evs[0].Err != nil || evs[0].Gen != gen+1 || evs[0].ID != "srv" {
				t.Fatalf("%s: events %+v, want one change to generation %d", step, evs, gen+1)
			}
			current, gen = next, gen+1
			served(step, current.Cert)
			good++
		case 2: // a certificate whose key never comes
			r.cert(leaves[i])
			refused(step+" (mismatched key)", poll(), creds.ErrKeyMismatch)
			served(step, current.Cert)
			bad++
		case 3: // expired at the test clock, with its own key
			r.cert(leaves[i])
			r.key(leaves[i])
			refused(step+" (expired)", poll(), errExpired)
			served(step, current.Cert)
			bad++
		case 4:
			r.write("server-cert.pem", []byte("-----BEGIN CERTIFICATE-----\ngarbage\n"))
			refused(step+" (garbage)", poll(), nil)
			served(step, current.Cert)
			bad++
		}
		if src.Gen() != gen {
			t.Fatalf("%s: generation %d, want %d", step, src.Gen(), gen)
		}
	}
	stop.Store(true)
	wg.Wait()
	if n := failures.Load(); n > 0 {
		t.Errorf("%d of %d handshakes failed; first: %v", n, handshakes.Load(), *firstErr.Load())
	}
	t.Logf("%d good and %d bad rotations, %d handshakes by %d clients", good, bad, handshakes.Load(), clients)
}

// TestWatchLoop runs Registry.Watch for real: a rotation is picked up
// within a few intervals, a refused one is reported once, and cancelling
// the context ends the loop.
func TestWatchLoop(t *testing.T) {
	p, p2 := labPKI(t, fixtures.PKIOptions{}), labPKI(t, fixtures.PKIOptions{})
	dir := labWriteDir(t, p.ServerDir())
	reg := creds.NewRegistry()
	sp, _, _ := creds.ParseSpec("tls-creds-x509,id=srv,endpoint=server,dir=" + dir)
	src, err := reg.Add(sp, creds.LoadOptions{Now: labClock})
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan creds.Event, 16)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- reg.Watch(ctx, 5*time.Millisecond, func(e creds.Event) { events <- e }) }()
	next := func(what string) creds.Event {
		t.Helper()
		select {
		case e := <-events:
			return e
		case <-time.After(10 * time.Second):
			t.Fatalf("no event for %s", what)
			return creds.Event{}
		}
	}

	// The three files are renamed into place one by one: a poll between
	// the certificate and the key sees a mismatched pair and refuses it,
	// one after the CA alone takes the new CA.
	labRewrite(t, dir, p2.ServerDir())
	for !src.Current().Identity().Leaf().Equal(p2.Server.Cert) {
		e := next("a rotation")
		switch {
		case e.Err != nil && !errors.Is(e.Err, creds.ErrKeyMismatch):
			t.Fatalf("rotation: %+v", e)
		case e.Err == nil && (!e.Changed || e.Trigger != "poll" || e.ID != "srv"):
			t.Fatalf("rotation: %+v", e)
		}
	}
	// The event of the last step may still be on its way.
	for drained := false; !drained; {
		select {
		case e := <-events:
			if !e.Changed || e.Err != nil {
				t.Fatalf("after the rotation: %+v", e)
			}
		case <-time.After(100 * time.Millisecond):
			drained = true
		}
	}
	rotation{t, dir}.write("server-key.pem", []byte("not a key\n"))
	if e := next("a broken key"); e.Err == nil || e.Changed {
		t.Errorf("broken key: %+v", e)
	}
	// The broken file is retried every poll but not reported again.
	select {
	case e := <-events:
		t.Errorf("a persisting failure was reported again: %+v", e)
	case <-time.After(50 * time.Millisecond):
	}
	if err := reg.Watch(ctx, 0, nil); err == nil {
		t.Error("Watch accepted a zero interval")
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Watch returned %v after cancel", err)
	}
}

// TestReloadOnSignal sends the process SIGHUP. The test listens for it
// too, so that a signal sent before ReloadOnSignal listens does not
// end the process; it sends again until the reload is reported.
func TestReloadOnSignal(t *testing.T) {
	p, p2 := labPKI(t, fixtures.PKIOptions{}), labPKI(t, fixtures.PKIOptions{})
	dir := labWriteDir(t, p.ServerDir())
	reg := creds.NewRegistry()
	sp, _, _ := creds.ParseSpec("tls-creds-x509,id=srv,endpoint=server,dir=" + dir)
	if _, err := reg.Add(sp, creds.LoadOptions{Now: labClock}); err != nil {
		t.Fatal(err)
	}
	guard := make(chan os.Signal, 16)
	signal.Notify(guard, syscall.SIGHUP)
	defer signal.Stop(guard)

	events := make(chan creds.Event, 16)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- creds.ReloadOnSignal(ctx, reg, func(e creds.Event) { events <- e }) }()

	labRewrite(t, dir, p2.ServerDir())
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for got := false; !got; {
		if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		select {
		case e := <-events:
			if !e.Changed || e.Trigger != "SIGHUP" || e.ID != "srv" {
				t.Errorf("event %+v", e)
			}
			got = true
		case <-tick.C:
		case <-deadline:
			t.Fatal("no reload after SIGHUP")
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("ReloadOnSignal returned %v", err)
	}
}

// TestWatcherPoll steps a Watcher by hand: unchanged and merely
// rewritten files reload nothing, a file that appears (a CRL) does, and
// a source added after the first poll is picked up.
func TestWatcherPoll(t *testing.T) {
	g := fixtures.New(fixtures.TestClock)
	p := labPKI(t, fixtures.PKIOptions{})
	dir := labWriteDir(t, p.ServerDir())
	reg := creds.NewRegistry()
	add := func(id, dir string) *creds.Source {
		sp, _, err := creds.ParseSpec("tls-creds-x509,id=" + id + ",endpoint=server,dir=" + dir)
		if err != nil {
			t.Fatal(err)
		}
		src, err := reg.Add(sp, creds.LoadOptions{Now: labClock})
		if err != nil {
			t.Fatal(err)
		}
		return src
	}
	src := add("srv", dir)
	w := creds.NewWatcher(reg)
	var evs []creds.Event
	record := func(e creds.Event) { evs = append(evs, e) }
	w.Poll(record)
	w.Poll(record)
	// The same content renamed into place: a new inode, the same digest.
	labRewrite(t, dir, p.ServerDir())
	w.Poll(record)
	if len(evs) != 0 || src.Gen() != 1 {
		t.Fatalf("unchanged contents: events %+v, generation %d", evs, src.Gen())
	}
	crl, err := g.CRL(p.Root, fixtures.CRLSpec{})
	if err != nil {
		t.Fatal(err)
	}
	rotation{t, dir}.write("ca-crl.pem", crl)
	w.Poll(record)
	if len(evs) != 1 || !evs[0].Changed || src.Current().CRL == nil {
		t.Fatalf("a CRL appeared: events %+v", evs)
	}
	add("late", labWriteDir(t, p.ServerDir()))
	w.Poll(record)
	if len(evs) != 1 {
		t.Errorf("a source added later: events %+v", evs[1:])
	}
}
