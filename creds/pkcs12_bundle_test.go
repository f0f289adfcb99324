package creds_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"testing"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/fixtures"
)

// A server identity goes out to a PKCS#12 file and back into a
// credential directory in the libvirt layout, as `tlscreds p12 export`
// and `tlscreds p12 import` do.
func ExampleObject_PKCS12Bundle() {
	dir, err := os.MkdirTemp("", "p12")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	p, err := fixtures.New(fixtures.TestClock).PKI(fixtures.PKIOptions{Intermediate: true})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := p.Write(dir, fixtures.WriteOptions{}); err != nil {
		log.Fatal(err)
	}
	sp, _, err := creds.ParseSpec("tls-creds-x509,id=tls0,endpoint=server,dir=" + filepath.Join(dir, "server"))
	if err != nil {
		log.Fatal(err)
	}
	obj, err := creds.Load(sp, creds.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}

	out, err := obj.PKCS12Bundle()
	if err != nil {
		log.Fatal(err)
	}
	data, err := out.Encode("s3cret")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("exported: %d in the chain, %d CA\n", len(out.Chain), len(out.CA))

	key, certs, err := creds.DecodePKCS12(data, "s3cret")
	if err != nil {
		log.Fatal(err)
	}
	in, err := creds.NewPKCS12Bundle(key, certs)
	if err != nil {
		log.Fatal(err)
	}
	files, err := in.DirFiles(layout.Libvirt, creds.EndpointServer)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		fmt.Printf("%s %v\n", f.Name, f.Mode)
	}
	// Output:
	// exported: 2 in the chain, 1 CA
	// cacert.pem -rw-r--r--
	// servercert.pem -rw-r--r--
	// serverkey.pem -rw-------
}

// The import side sorts the certificates of a file: the chain stops
// before the self-signed root and skips a stranger, and the CA file keeps
// every certificate besides the leaf in file order; the certificate file
// written is the one the chain was exported from.
func TestPKCS12BundleImport(t *testing.T) {
	g := fixtures.New(fixtures.TestClock)
	p, err := g.PKI(fixtures.PKIOptions{Intermediate: true})
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := g.PKI(fixtures.PKIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := p.Write(dir, fixtures.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	sp, _, err := creds.ParseSpec("tls-creds-x509,id=tls0,endpoint=server,dir=" + filepath.Join(dir, "server"))
	if err != nil {
		t.Fatal(err)
	}
	obj, err := creds.Load(sp, creds.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := obj.PKCS12Bundle()
	if err != nil {
		t.Fatal(err)
	}
	root := b.CA[0]
	all := append(append(b.Chain[:1:1], stranger.Root.Cert, root), b.Chain[1:]...)
	in, err := creds.NewPKCS12Bundle(b.Key, all)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Chain) != 2 || !in.Chain[1].Equal(b.Chain[1]) {
		t.Errorf("Chain has %d certificates, want the leaf and its intermediate", len(in.Chain))
	}
	if len(in.CA) != 2 || !in.CA[0].Equal(stranger.Root.Cert) || !in.CA[1].Equal(root) {
		t.Errorf("CA has %d certificates, want the stranger then the root", len(in.CA))
	}
	files, err := in.DirFiles(layout.QEMU, creds.EndpointServer)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(dir, "server", "server-cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if files[1].Name != "server-cert.pem" || !bytes.Equal(files[1].Data, want) {
		t.Errorf("%s differs from the exported certificate file", files[1].Name)
	}
	if files[0].Name != "ca-cert.pem" || !bytes.Equal(files[0].Data, fixtures.EncodeCerts(all[1:]...)) {
		t.Errorf("%s does not hold the certificates besides the leaf in file order", files[0].Name)
	}

	// A client object with a CA file only has nothing to export.
	if err := os.Remove(filepath.Join(dir, "client", "client-cert.pem")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "client", "client-key.pem")); err != nil {
		t.Fatal(err)
	}
	sp, _, _ = creds.ParseSpec("tls-creds-x509,id=tls1,endpoint=client,dir=" + filepath.Join(dir, "client"))
	if obj, err = creds.Load(sp, creds.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := obj.PKCS12Bundle(); !errors.Is(err, creds.ErrNoIdentity) {
		t.Errorf("PKCS12Bundle of a CA-only client = %v, want ErrNoIdentity", err)
	}
}
