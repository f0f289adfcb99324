package creds_test

import (
	"crypto/tls"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
)

// Two services of one process share the server object tls0, each with its
// own client-certificate policy, and a client endpoint uses the object
// tls1. The objects are written as on a QEMU command line.
func ExampleRegistry() {
	dir := examplePKI() // writes dir/server and dir/client
	defer os.RemoveAll(dir)

	var specs creds.Specs
	for _, s := range []string{
		"tls-creds-x509,id=tls0,endpoint=server,dir=" + filepath.Join(dir, "server"),
		"tls-creds-x509,id=tls1,endpoint=client,dir=" + filepath.Join(dir, "client"),
	} {
		if err := specs.Add(s); err != nil {
			log.Fatal(err)
		}
	}
	reg := creds.NewRegistry()
	if err := reg.AddSpecs(&specs, nil); err != nil {
		log.Fatal(err)
	}

	// The test PKI is valid at fixtures.TestClock; leave Time nil in
	// production.
	clock := func() time.Time { return fixtures.TestClock }

	// nbd follows tls0's verify-peer (on: a client certificate is
	// required); status asks for none.
	nbd, err := reg.ServerConfig("tls0", creds.ServerOptions{Time: clock})
	if err != nil {
		log.Fatal(err)
	}
	status, err := reg.ServerConfig("tls0", creds.ServerOptions{Time: clock, ClientAuth: creds.ClientAuthNone})
	if err != nil {
		log.Fatal(err)
	}
	client, err := reg.ClientConfig("tls1", "localhost", creds.ClientOptions{Time: clock})
	if err != nil {
		log.Fatal(err)
	}

	for _, svc := range []struct {
		name string
		cfg  *tls.Config
	}{{"nbd", nbd}, {"status", status}} {
		ln, err := tls.Listen("tcp", "127.0.0.1:0", svc.cfg)
		if err != nil {
			log.Fatal(err)
		}
		seen := exampleAccept(ln)
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", ln.Addr().String(), client)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: client sees %q, server sees %s\n",
			svc.name, conn.ConnectionState().PeerCertificates[0].Subject.CommonName, <-seen)
		conn.Close()
		ln.Close()
	}
	// Output:
	// nbd: client sees "localhost", server sees client "client"
	// status: client sees "localhost", server sees no client certificate
}

// A reload that fails keeps the previous snapshot in service.
func ExampleSource_Reload() {
	dir := examplePKI()
	defer os.RemoveAll(dir)
	sp, _, err := creds.ParseSpec("tls-creds-x509,id=tls0,endpoint=server,dir=" + filepath.Join(dir, "server"))
	if err != nil {
		log.Fatal(err)
	}
	src, err := creds.NewSource(sp, creds.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	before := src.Current()

	changed, err := src.Reload()
	fmt.Println("unchanged files:", changed, err)

	// A half-written certificate, as an editor or a copy might leave it.
	if err := os.WriteFile(filepath.Join(dir, "server", "server-cert.pem"), []byte("-----BEGIN CERT"), 0o644); err != nil {
		log.Fatal(err)
	}
	changed, err = src.Reload()
	fmt.Println("broken files:", changed, err != nil)
	fmt.Println("still serving the previous snapshot:", src.Current() == before, "generation", src.Gen())
	// Output:
	// unchanged files: false <nil>
	// broken files: false true
	// still serving the previous snapshot: true generation 1
}

// examplePKI writes a test PKI (CA, server for localhost, one client
// named "client") into a new temporary directory.
func examplePKI() string {
	dir, err := os.MkdirTemp("", "tlscreds-example-")
	if err != nil {
		log.Fatal(err)
	}
	p, err := fixtures.New(fixtures.TestClock).PKI(fixtures.PKIOptions{})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := p.Write(dir, fixtures.WriteOptions{}); err != nil {
		log.Fatal(err)
	}
	return dir
}

// exampleAccept accepts one connection, completes its handshake and
// reports which client certificate it saw.
func exampleAccept(ln net.Listener) <-chan string {
	seen := make(chan string, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			seen <- err.Error()
			return
		}
		defer conn.Close()
		tc := conn.(*tls.Conn)
		_ = tc.SetDeadline(time.Now().Add(5 * time.Second))
		if err := tc.Handshake(); err != nil {
			seen <- err.Error()
			return
		}
		if certs := tc.ConnectionState().PeerCertificates; len(certs) > 0 {
			seen <- fmt.Sprintf("client %q", certs[0].Subject.CommonName)
			return
		}
		seen <- "no client certificate"
	}()
	return seen
}

// A spec built as a value: NewSpec validates it as ParseSpec would, and
// String writes the -object text with a comma in a path escaped once.
// With returns a changed copy, validated again.
func ExampleNewSpec() {
	sp, err := creds.NewSpec(creds.KindX509, "tls0", "endpoint", "server", "dir", "/etc/pki/qemu,vm1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sp)
	off, err := sp.With("verify-peer", "off")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(off)
	_, err = sp.With("username", "alice")
	fmt.Println(err)
	// Output:
	// tls-creds-x509,id=tls0,endpoint=server,dir=/etc/pki/qemu,,vm1
	// tls-creds-x509,id=tls0,endpoint=server,dir=/etc/pki/qemu,,vm1,verify-peer=off
	// object "tls-creds-x509,id=tls0,endpoint=server,dir=/etc/pki/qemu,,vm1,username=alice": property "username": unknown property for tls-creds-x509 (valid: id, endpoint, dir, verify-peer, priority, sanity-check, passwordid, layout, cert, key, ca, crl, p12); "username" belongs to tls-creds-psk
}
