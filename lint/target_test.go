package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/fixtures/peer"
)

// A client directory holding ca-crl.pem is a client's: QEMU reads the CRL
// only as a server (a CRL it cannot parse fails a server object and not a
// client one), so the CRL says nothing about the endpoint there.
func TestDirTargetClientWithCRL(t *testing.T) {
	peer.Require(t, "qemu-img")
	p, err := fixtures.New(time.Now()).PKI(fixtures.PKIOptions{}) // QEMU checks validity against the real clock
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := p.ClientDir(0).Write(dir, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ca-crl.pem"), []byte("not a CRL\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if ok, msg := peer.QEMULoad(t, "client", dir); !ok {
		t.Errorf("QEMU refuses the client directory with a garbage CRL: %s", msg)
	}
	if ok, msg := peer.QEMULoad(t, "server", dir); ok || !strings.Contains(msg, "server-cert.pem") {
		t.Errorf("QEMU as a server: %v, %s; want a refusal naming server-cert.pem", ok, msg)
	}
	srv := t.TempDir()
	if _, err := p.ServerDir().Write(srv, layout.QEMU, true); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(srv, "ca-crl.pem"), []byte("not a CRL\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if ok, msg := peer.QEMULoad(t, "server", srv); ok || !strings.Contains(msg, "Cannot load CRL") {
		t.Errorf("QEMU as a server with a garbage CRL: %v, %s; want Cannot load CRL", ok, msg)
	}
	tg, err := DirTarget("tls0", dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if tg.Spec.Endpoint != creds.EndpointClient || !strings.Contains(tg.Note, "client endpoint detected") {
		t.Errorf("endpoint %s (%s), want client", tg.Spec.Endpoint, tg.Note)
	}
}
