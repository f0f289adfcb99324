package inspect_test

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/inspect"
	"github.com/tlscreds/tlscreds/fixtures"
)

func writePKI(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	p, err := fixtures.New(fixtures.TestClock).PKI(fixtures.PKIOptions{Intermediate: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Write(dir, fixtures.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A directory holding credential directories is no credential directory:
// the error names the ones inside, for the hint.
func TestDirNotCredentials(t *testing.T) {
	dir := writePKI(t)
	_, err := inspect.Dir("x", dir, "", nil, fixtures.TestClock)
	var nc *inspect.NotCredentialsError
	if !errors.As(err, &nc) {
		t.Fatalf("Dir(%s) = %v, want *NotCredentialsError", dir, err)
	}
	want := []string{filepath.Join(dir, "ca"), filepath.Join(dir, "client"), filepath.Join(dir, "server")}
	if !slices.Equal(nc.Subdirs, want) {
		t.Errorf("Subdirs = %q, want %q", nc.Subdirs, want)
	}
}

// A single certificate file: its certificates and the chain inside it,
// and an explicit endpoint given to Dir is kept with its reason.
func TestFileAndEndpoint(t *testing.T) {
	dir := writePKI(t)
	cert := filepath.Join(dir, "server", "server-cert.pem")
	o, err := inspect.File(cert, nil, fixtures.TestClock)
	if err != nil {
		t.Fatal(err)
	}
	if o.Source != "file" || o.Encoding != creds.EncodingPEM || len(o.Certificates) != 2 || len(o.Chains) != 1 || len(o.Keys) != 0 {
		t.Errorf("File(%s) = source %s, encoding %s, %d certs, %d chains, %d keys; want file, pem, 2, 1, 0",
			cert, o.Source, o.Encoding, len(o.Certificates), len(o.Chains), len(o.Keys))
	}
	o, err = inspect.Dir("tls0", filepath.Join(dir, "server"), creds.EndpointClient, nil, fixtures.TestClock)
	if err != nil {
		t.Fatal(err)
	}
	if o.Endpoint != "client" || o.EndpointReason != "given with --endpoint" || len(o.Chains) != 0 {
		t.Errorf("Dir(server, client) = %s (%s), %d chains; want client (given with --endpoint), 0", o.Endpoint, o.EndpointReason, len(o.Chains))
	}
}
