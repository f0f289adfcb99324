package main

import (
	"crypto/x509"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
)

func TestFloor(t *testing.T) {
	gen := fixtures.New(fixtures.TestClock)
	root := t.TempDir()
	p, err := gen.PKI(fixtures.PKIOptions{Intermediate: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.ServerDir().Write(root+"/good", layout.QEMU, false); err != nil {
		t.Fatal(err)
	}
	var out, errOut strings.Builder
	if code := run([]string{"floor", root}, &out, &errOut); code != 0 || out.String() != "1 dirs verified, 0 failed\n" {
		t.Fatalf("good tree: exit %d, %q, %q", code, out.String(), errOut.String())
	}

	// A CA of the same name but another key: the issuer is found by name
	// and its signature does not verify.
	other, err := gen.Root(fixtures.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	bad := fixtures.Dir{CA: []*x509.Certificate{other.Cert}, Server: p.Server}
	if _, err := bad.Write(root+"/bad", layout.QEMU, false); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errOut.Reset()
	if code := run([]string{"floor", root}, &out, &errOut); code != 1 || out.String() != "1 dirs verified, 1 failed\n" {
		t.Fatalf("bad tree: exit %d, %q", code, out.String())
	}
	if !strings.Contains(errOut.String(), "bad: signature of") {
		t.Errorf("stderr = %q, want the failed signature named", errOut.String())
	}
}
