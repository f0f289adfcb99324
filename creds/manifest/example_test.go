package manifest_test

import (
	"crypto/tls"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/manifest"
	"github.com/tlscreds/tlscreds/fixtures"
)

// Two services of one process, a VNC-like and an NBD-like server, share
// the object tls0 through a manifest, each with its own client policy;
// the migration client endpoint uses tls1 and talks to vnc. A reload of
// tls0's files (see creds.Registry.Watch) reaches both servers.
func Example() {
	dir := exampleDirs() // writes dir/server and dir/client
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "manifest.yaml")
	err := os.WriteFile(path, []byte(`
objects:
  - {id: tls0, endpoint: server, dir: server}
  - {id: tls1, endpoint: client, dir: client}
endpoints:
  - name: vnc
    role: server
    objects: [tls0]
    hosts: [localhost]
    authz:                  # QEMU's authz-list over the client's DN
      rules:
        - {match: "O=tlscreds test PKI,CN=migration", policy: allow}
  - name: nbd
    role: server
    objects: [tls0]
    hosts: [localhost]
    verify-peer: false      # no client certificate needed
  - name: migrate
    role: client
    objects: [tls1]
    server: vnc             # so it checks the name "localhost"
`), 0o644)
	if err != nil {
		log.Fatal(err)
	}
	m, err := manifest.Load(path)
	if err != nil {
		log.Fatal(err)
	}
	// The test PKI is valid at fixtures.TestClock; leave Time nil in
	// production.
	clock := func() time.Time { return fixtures.TestClock }
	if _, err := m.Registry(manifest.Options{Time: clock}); err != nil {
		log.Fatal(err)
	}
	client, err := m.ClientConfig("migrate")
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"vnc", "nbd"} {
		cfg, err := m.ServerConfig(name)
		if err != nil {
			log.Fatal(err)
		}
		ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
		if err != nil {
			log.Fatal(err)
		}
		seen := exampleServe(ln)
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", ln.Addr().String(), client)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: client sees %q, server sees %s\n", name, conn.ConnectionState().PeerCertificates[0].Subject.CommonName, <-seen)
		conn.Close()
		ln.Close()
	}
	// Output:
	// vnc: client sees "localhost", server sees client "O=tlscreds test PKI,CN=migration"
	// nbd: client sees "localhost", server sees client "O=tlscreds test PKI,CN=migration"
}

// exampleDirs writes a test PKI's server and client directories.
func exampleDirs() string {
	p, err := fixtures.New(fixtures.TestClock).PKI(fixtures.PKIOptions{Clients: []string{"migration"}})
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "manifest-example")
	if err != nil {
		log.Fatal(err)
	}
	for sub, d := range map[string]fixtures.Dir{"server": p.ServerDir(), "client": p.ClientDir(0)} {
		if _, err := d.Write(filepath.Join(dir, sub), layout.QEMU, false); err != nil {
			log.Fatal(err)
		}
	}
	return dir
}

// exampleServe completes one handshake and reports the client's DN as
// QEMU prints it.
func exampleServe(ln net.Listener) <-chan string {
	seen := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			seen <- err.Error()
			return
		}
		defer c.Close()
		tc := c.(*tls.Conn)
		if err := tc.Handshake(); err != nil {
			seen <- err.Error()
			return
		}
		certs := tc.ConnectionState().PeerCertificates
		if len(certs) == 0 {
			seen <- "no client certificate"
			return
		}
		dn, _ := creds.DN(certs[0].RawSubject)
		seen <- fmt.Sprintf("client %q", dn)
	}()
	return seen
}
