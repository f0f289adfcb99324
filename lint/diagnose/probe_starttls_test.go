package diagnose

import (
	"crypto/tls"
	"encoding/binary"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/fixtures/peer"
)

// qemuServerObject is the -object spec of a QEMU TLS server, id tls0,
// over the credential directory srvDir.
func qemuServerObject(srvDir string, verifyPeer bool) string {
	vp := "no"
	if verifyPeer {
		vp = "yes"
	}
	return "tls-creds-x509,id=tls0,endpoint=server,dir=" + strings.ReplaceAll(srvDir, ",", ",,") + ",verify-peer=" + vp
}

// qemuNBD starts qemu-nbd serving a small raw image over TLS on
// 127.0.0.1, with the credential directory srvDir.
func qemuNBD(t *testing.T, srvDir string, verifyPeer bool) string {
	t.Helper()
	peer.Require(t, "qemu-nbd")
	img := filepath.Join(t.TempDir(), "disk.raw")
	if err := os.WriteFile(img, make([]byte, 1<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(peer.FreePort(t))
	obj := qemuServerObject(srvDir, verifyPeer)
	// -t: keep serving after a client leaves (the port probe, our retries).
	s := peer.Start(t, "127.0.0.1:"+port, "qemu-nbd", "--object", obj, "--tls-creds", "tls0",
		"-b", "127.0.0.1", "-p", port, "-f", "raw", "-t", "-x", "disk0", img)
	return s.Addr
}

// TestQEMUNBD probes a real qemu-nbd TLS server with --starttls nbd.
func TestQEMUNBD(t *testing.T) {
	t.Parallel()
	_, srvDir, cliDir := pki(t, fixtures.PKIOptions{})
	_, _, otherCli := pki(t, fixtures.PKIOptions{})
	open := qemuNBD(t, srvDir, false)
	strict := qemuNBD(t, srvDir, true)

	nbd := func(t *testing.T, dir string) ProbeOptions {
		o := clientOptions(t, dir)
		o.StartTLS, o.ServerName = StartTLSNBD, "localhost"
		return o
	}
	t.Run("ok", func(t *testing.T) {
		r, fs := probe(t, open, nbd(t, cliDir))
		if !r.OK {
			t.Fatalf("probe failed at %s: %s", r.Stage, r.Error)
		}
		wantCauses(t, fs)
		if !strings.Contains(r.ReadNote, `NBD over TLS works: the server lists 1 export(s) ["disk0"]`) {
			t.Errorf("read note %q", r.ReadNote)
		}
		if len(r.StartTLSSteps) != 3 {
			t.Errorf("STARTTLS steps %q", r.StartTLSSteps)
		}
	})
	t.Run("other-ca", func(t *testing.T) {
		_, fs := probe(t, open, nbd(t, otherCli))
		wantCauses(t, fs, "handshake-unknown-ca")
	})
	t.Run("verify-peer-without-client-cert", func(t *testing.T) {
		o := nbd(t, cliDir)
		o.Certificate = nil
		_, fs := probe(t, strict, o)
		wantCauses(t, fs, "handshake-client-cert-required")
	})
	t.Run("verify-peer-with-client-cert", func(t *testing.T) {
		r, fs := probe(t, strict, nbd(t, cliDir))
		if !r.OK {
			t.Fatalf("probe failed at %s: %s", r.Stage, r.Error)
		}
		wantCauses(t, fs)
	})
	t.Run("without-starttls", func(t *testing.T) {
		_, fs := probe(t, open, clientOptions(t, cliDir))
		wantCauses(t, fs, "handshake-not-tls")
		wantMessage(t, fs, "handshake-not-tls", "NBDMAGIC", "--starttls nbd")
	})
	t.Run("vnc-preamble-to-nbd", func(t *testing.T) {
		o := nbd(t, cliDir)
		o.StartTLS = StartTLSVNC
		_, fs := probe(t, open, o)
		wantCauses(t, fs, "handshake-starttls")
		wantMessage(t, fs, "handshake-starttls", "not a VNC server", "NBDMAGIC")
	})
}

// vncServer is a small VeNCrypt server: RFB 3.8, the security types
// given, VeNCrypt 0.2 with the subtypes given, then TLS with cfg and the
// SecurityResult of X509None.
func vncServer(t *testing.T, cfg *tls.Config, types []byte, subtypes ...uint32) string {
	t.Helper()
	return listen(t, func(c net.Conn) {
		if _, err := io.WriteString(c, "RFB 003.008\n"); err != nil {
			return
		}
		ver := make([]byte, 12)
		if _, err := io.ReadFull(c, ver); err != nil {
			return
		}
		_, _ = c.Write(append([]byte{byte(len(types))}, types...))
		choice := make([]byte, 1)
		if _, err := io.ReadFull(c, choice); err != nil || choice[0] != 19 {
			return
		}
		_, _ = c.Write([]byte{0, 2})
		cv := make([]byte, 2)
		if _, err := io.ReadFull(c, cv); err != nil {
			return
		}
		msg := []byte{0, byte(len(subtypes))}
		for _, s := range subtypes {
			msg = binary.BigEndian.AppendUint32(msg, s)
		}
		_, _ = c.Write(msg)
		sub := make([]byte, 4)
		if _, err := io.ReadFull(c, sub); err != nil {
			return
		}
		_, _ = c.Write([]byte{1})
		tc := tls.Server(c, cfg)
		if tc.Handshake() != nil {
			return
		}
		_, _ = tc.Write([]byte{0, 0, 0, 0}) // SecurityResult: OK
		_, _ = tc.Read(make([]byte, 1))
	})
}

// TestVNC probes a small VeNCrypt server whose TLS config the factories
// build, for what real QEMU does not offer (other subtypes and security
// types); TestQEMUVNC probes QEMU's own VNC server.
func TestVNC(t *testing.T) {
	t.Parallel()
	_, srvDir, cliDir := pki(t, fixtures.PKIOptions{})
	cfg := serverConfig(t, srvDir, creds.ServerOptions{})
	vnc := func(t *testing.T) ProbeOptions {
		o := clientOptions(t, cliDir)
		o.StartTLS, o.ServerName = StartTLSVNC, "localhost"
		return o
	}
	t.Run("ok", func(t *testing.T) {
		r, fs := probe(t, vncServer(t, cfg, []byte{19}, 257, 260), vnc(t))
		if !r.OK {
			t.Fatalf("probe failed at %s: %s", r.Stage, r.Error)
		}
		wantCauses(t, fs)
		if !strings.Contains(strings.Join(r.StartTLSSteps, "\n"), "chose X509None") || !strings.Contains(r.ReadNote, "SecurityResult") {
			t.Errorf("steps %q, read note %q", r.StartTLSSteps, r.ReadNote)
		}
	})
	t.Run("client-cert-required", func(t *testing.T) {
		o := vnc(t)
		o.Certificate = nil
		_, fs := probe(t, vncServer(t, cfg, []byte{19}, 260), o)
		wantCauses(t, fs, "handshake-client-cert-required")
	})
	t.Run("anonymous-only", func(t *testing.T) {
		_, fs := probe(t, vncServer(t, cfg, []byte{19}, 257, 258), vnc(t))
		wantCauses(t, fs, "handshake-starttls")
		wantMessage(t, fs, "handshake-starttls", "no x509 VeNCrypt subtype", "TLSNone")
	})
	t.Run("no-vencrypt", func(t *testing.T) {
		_, fs := probe(t, vncServer(t, cfg, []byte{1, 2}), vnc(t))
		wantCauses(t, fs, "handshake-starttls")
		wantMessage(t, fs, "handshake-starttls", "does not offer VeNCrypt")
	})
	t.Run("tls-port", func(t *testing.T) {
		// A port that speaks TLS from the first byte: the VNC greeting
		// never comes, a direct ClientHello is answered.
		o := vnc(t)
		o.Timeout = time.Second
		_, fs := probe(t, tlsServer(t, cfg), o)
		wantCauses(t, fs, "handshake-plaintext-to-tls")
		wantMessage(t, fs, "handshake-plaintext-to-tls", "drop --starttls vnc")
	})
}

// qemuVNC starts a QEMU system emulator with no machine and a VNC server
// on 127.0.0.1 using the credential directory srvDir (VeNCrypt with
// x509 TLS), and returns its address.
func qemuVNC(t *testing.T, srvDir string, verifyPeer bool) string {
	t.Helper()
	peer.Require(t, "qemu-system-x86_64")
	port := peer.FreePort(t)
	obj := qemuServerObject(srvDir, verifyPeer)
	// A VNC display N listens on port 5900+N.
	s := peer.Start(t, "127.0.0.1:"+strconv.Itoa(port), "qemu-system-x86_64", "-nodefaults", "-machine", "none",
		"-display", "none", "-object", obj, "-vnc", "127.0.0.1:"+strconv.Itoa(port-5900)+",tls-creds=tls0")
	return s.Addr
}

// TestQEMUVNC probes QEMU's own VNC server over TLS with --starttls vnc.
func TestQEMUVNC(t *testing.T) {
	t.Parallel()
	_, srvDir, cliDir := pki(t, fixtures.PKIOptions{})
	_, _, otherCli := pki(t, fixtures.PKIOptions{})
	open := qemuVNC(t, srvDir, false)
	strict := qemuVNC(t, srvDir, true)
	vnc := func(t *testing.T, dir string) ProbeOptions {
		o := clientOptions(t, dir)
		o.StartTLS, o.ServerName = StartTLSVNC, "localhost"
		return o
	}
	t.Run("ok", func(t *testing.T) {
		r, fs := probe(t, strict, vnc(t, cliDir))
		if !r.OK {
			t.Fatalf("probe failed at %s: %s", r.Stage, r.Error)
		}
		wantCauses(t, fs)
		if steps := strings.Join(r.StartTLSSteps, "\n"); !strings.Contains(steps, "RFB 003.008") || !strings.Contains(steps, "chose X509") {
			t.Errorf("STARTTLS steps %q", r.StartTLSSteps)
		}
		if !strings.Contains(r.ReadNote, "VNC over TLS works") {
			t.Errorf("read note %q", r.ReadNote)
		}
	})
	t.Run("other-ca", func(t *testing.T) {
		_, fs := probe(t, open, vnc(t, otherCli))
		wantCauses(t, fs, "handshake-unknown-ca")
	})
	t.Run("verify-peer-without-client-cert", func(t *testing.T) {
		o := vnc(t, cliDir)
		o.Certificate = nil
		_, fs := probe(t, strict, o)
		wantCauses(t, fs, "handshake-client-cert-required")
	})
	t.Run("without-starttls", func(t *testing.T) {
		_, fs := probe(t, open, clientOptions(t, cliDir))
		wantCauses(t, fs, "handshake-not-tls")
		wantMessage(t, fs, "handshake-not-tls", "RFB", "--starttls vnc")
	})
	t.Run("nbd-preamble-to-vnc", func(t *testing.T) {
		o := vnc(t, cliDir)
		o.StartTLS = StartTLSNBD
		_, fs := probe(t, open, o)
		wantCauses(t, fs, "handshake-starttls")
	})
}
