package diagnose

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/creds/cause"

	rec "github.com/tlscreds/tlscreds/fixtures/recorder"
)

var (
	updateAccuracy = flag.Bool("update-accuracy", false, "rewrite testdata/recordings/verdicts.txt and the accuracy table in docs/troubleshooting.md")
	tune           = flag.Bool("tune", false, "print the tuned (never the held-out) recorded outputs explain does not get right")
)

// verdict grades explain on one recorded output: right (the true cause
// first), partly (listed, not first), wrong (not listed).
func verdict(r rec.Recording, o rec.Output) (string, []string) {
	h := Headline(Explain(o.Text))
	switch {
	case len(h) > 0 && h[0] == r.Cause:
		return "right", h
	case contains(h, r.Cause):
		return "partly", h
	}
	return "wrong", h
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

type tally struct{ right, partly, wrong int }

func (t tally) total() int { return t.right + t.partly + t.wrong }

func (t tally) plus(u tally) tally {
	return tally{t.right + u.right, t.partly + u.partly, t.wrong + u.wrong}
}

func (t tally) String() string {
	if t.total() == 0 {
		return "–"
	}
	return fmt.Sprintf("%d / %d / %d (%.0f %%)", t.right, t.partly, t.wrong, pct(t.right, t.total()))
}

// The parts of the recordings explain is graded on separately, in the
// order of the table's columns.
const (
	partTuned = "tuned"
	// partHeld is the first held-out quarter (recorder.HeldOut), whose
	// rows of the accuracy table were seen in session 5.
	partHeld = "held-out"
	// partRound2 is every output of the scenarios of round 2
	// (recorder.FreshRound), recorded on 2026-12-05 and measured before
	// anyone looked at it (75 % right), then tuned on the same day.
	partRound2 = "round 2"
	// partRound3 is every output of the scenarios of round 3
	// (recorder.Round3), recorded on 2026-12-05 after round 2 had been
	// tuned on, measured held out (61 % right), then tuned on too.
	partRound3 = "round 3"
	// partRound4 is every output of the scenarios of round 4
	// (recorder.Round4, QEMU's own words: qemu-nbd and qemu-img),
	// recorded on 2026-12-05 while round 3 was tuned on and measured
	// once after that tuning; nobody tuning explain has looked at it.
	partRound4 = "round 4"
	// partRound5 is every output of the scenarios of round 5
	// (recorder.Round5: causes and misconfigurations no earlier round
	// set up, and QEMU 10.2's qemu-img beside 7.2's), recorded on
	// 2026-12-05 after round 4 had been tuned on and measured once;
	// nobody tuning explain has looked at it.
	partRound5 = "round 5"
	// partRound6 is every output of the scenarios of round 6
	// (recorder.Round6, libvirt's own words: libvirtd and virsh),
	// recorded on 2026-12-05 and measured once; nobody tuning explain
	// has looked at it.
	partRound6 = "round 6"
	// partRound7 is every output of the scenarios of round 7
	// (recorder.Round7: misconfigurations set up differently from
	// earlier rounds, and two client stacks explain had never been
	// graded on, Node.js's https.get and wget), recorded on 2026-12-06,
	// measured held out (64 % right), then tuned on (session 9).
	partRound7 = "round 7"
	// partRound8 is every output of the scenarios of round 8
	// (recorder.Round8: misconfigurations set up differently from
	// rounds 0 to 7, and two more client stacks explain had never been
	// graded on, Python's requests and git over https), recorded on
	// 2026-12-06, measured held out (69 % right), then tuned on
	// (session 9).
	partRound8 = "round 8"
	// partRound9 is every output of the scenarios of round 9
	// (recorder.Round9, QEMU's own words about live migration over
	// TLS: a source QEMU migrating to a destination QEMU), recorded on
	// 2026-12-06, measured held out (43 % right), then tuned on
	// (session 9).
	partRound9 = "round 9"
	// partRound10 is every output of the scenarios of round 10
	// (recorder.Round10: PostgreSQL 15 over TLS with psql as its
	// client, and stunnel 5.68 in front of a plain backend), recorded
	// on 2026-12-06, measured held out (45 % right), then tuned on
	// (session 10).
	partRound10 = "round 10"
	// partRound11 is every output of the scenarios of round 11
	// (recorder.Round11: Apache httpd 2.4 with mod_ssl, and OpenLDAP
	// 2.5's slapd over ldaps:// and StartTLS with ldapsearch as its
	// client), recorded on 2026-12-06, measured held out (59 % right),
	// then tuned on (session 11).
	partRound11 = "round 11"
	// partRound12 is every output of the scenarios of round 12
	// (recorder.Round12: lighttpd 1.4 with mod_openssl, and Redis 7.0
	// over TLS with redis-cli as its client), recorded on 2026-12-06,
	// measured held out (60 % right), then tuned on (session 11).
	partRound12 = "round 12"
	// partRound13 is every output of the scenarios of round 13
	// (recorder.Round13: mail, Postfix 3.7's smtpd and Dovecot 2.3's
	// IMAP with STARTTLS or implicit TLS, swaks and curl's smtp:// and
	// imap:// as their clients), recorded on 2026-12-06, measured held
	// out (40 % right), then tuned on (session 11).
	partRound13 = "round 13"
	// partRound14 is every output of the scenarios of round 14
	// (recorder.Round14: MariaDB 10.11 with TLS, the mariadb client as
	// its client, and Mosquitto 2.0, MQTT over TLS, with mosquitto_pub),
	// recorded on 2026-12-06, measured held out (40 % right), then
	// tuned on (session 11).
	partRound14 = "round 14"
	// partRound15 is every output of the scenarios of round 15
	// (recorder.Round15: Debian's nbd-server 3.24 with TLS, the NBD
	// server that is not QEMU, with qemu-img 7.2 and 10.2 and libnbd's
	// nbdinfo as its clients), recorded on 2026-12-06 and measured
	// held out; nobody tuning explain has looked at it.
	partRound15 = "round 15"
	// partRound16 is every output of the scenarios of round 16
	// (recorder.Round16: FTP over TLS, vsftpd 3.0.3 with explicit and
	// implicit TLS, curl's ftp:// and ftps://, Python's ftplib and lftp
	// as its clients), recorded on 2026-12-06 and measured once; nobody
	// tuning explain has looked at it.
	partRound16 = "round 16"
	// partRound17 is every output of the scenarios of round 17
	// (recorder.Round17: HAProxy 2.6 terminating TLS, with the HTTP
	// client stacks as its clients, and as a TLS client to
	// misconfigured backends, its clients speaking plain HTTP to it),
	// recorded on 2026-12-06 and measured once; nobody tuning explain
	// has looked at it.
	partRound17 = "round 17"
	// partRound18 is every output of the scenarios of round 18
	// (recorder.Round18: application servers, a small Node.js HTTPS
	// service and a small Python one logging what such services log,
	// with the HTTP client stacks as their clients), recorded on
	// 2026-12-06 and measured once; nobody tuning explain has looked at
	// it.
	partRound18 = "round 18"
	// partRound19 is every output of the scenarios of round 19
	// (recorder.Round19: XMPP over TLS, Prosody 0.12 with STARTTLS,
	// slixmpp, openssl s_client -starttls xmpp and gnutls-cli
	// --starttls-proto=xmpp as its clients), recorded on 2026-12-06 and
	// measured once; nobody tuning explain has looked at it.
	partRound19 = "round 19"
	// partRound20 is every output of the scenarios of round 20
	// (recorder.Round20: Caddy 2.6, a Go server, terminating TLS with the
	// HTTP client stacks as its clients, and as a reverse proxy to
	// misconfigured TLS backends), recorded on 2026-12-06 and measured
	// once; nobody tuning explain has looked at it.
	partRound20 = "round 20"
	// partRound21 is every output of the scenarios of round 21
	// (recorder.Round21: Apache Tomcat 10.1's HTTPS connector with
	// Java's JSSE, its certificate from PEM files, with the HTTP client
	// stacks as its clients), recorded on 2026-12-06 and measured once;
	// nobody tuning explain has looked at it.
	partRound21 = "round 21"
	// partRound22 is every output of the scenarios of round 22
	// (recorder.Round22: IRC over implicit TLS, ngIRCd 26 with GnuTLS,
	// a small Python ssl IRC client, openssl s_client and gnutls-cli
	// as its clients), recorded on 2026-12-06 and measured once; nobody
	// tuning explain has looked at it.
	partRound22 = "round 22"
	// partRound23 is every output of the scenarios of round 23
	// (recorder.Round23: RabbitMQ 3.10's AMQPS listener, Erlang/OTP's
	// own TLS implementation, with amqp-publish, pika, openssl s_client
	// and gnutls-cli as its clients), recorded on 2026-12-06 and
	// measured once; nobody tuning explain has looked at it.
	partRound23 = "round 23"
	// partRound24 is every output of the scenarios of round 24
	// (recorder.Round24: Botan 2.19's own TLS implementation, botan
	// tls_server with the generic clients and botan tls_client, and
	// openssl s_server with botan tls_client among its clients),
	// recorded on 2026-12-06 and measured once; nobody tuning explain
	// has looked at it.
	partRound24 = "round 24"
	// partRound25 is every output of the scenarios of round 25
	// (recorder.Round25: HTTPS clients explain had never been graded
	// on, Ruby's net/http, PHP's https stream wrapper, lynx and aria2c,
	// beside the HTTP client stacks, against nginx), recorded on
	// 2026-12-06 and measured once; nobody tuning explain has looked at
	// it.
	partRound25 = "round 25"
	// partRound26 is every output of the scenarios of round 26
	// (recorder.Round26: Exim 4.96, Debian's exim4-daemon-light with
	// GnuTLS, SMTP with STARTTLS and implicit TLS, against round 13's
	// SMTP clients), recorded on 2026-12-07 and measured once; nobody
	// tuning explain has looked at it.
	partRound26 = "round 26"
	// partRound27 is every output of the scenarios of round 27
	// (recorder.Round27: DNS over TLS, Unbound 1.17 with kdig, dig, a
	// Python ssl DoT client, openssl s_client, gnutls-cli and botan
	// tls_client as its clients), recorded on 2026-12-07 and measured
	// once; nobody tuning explain has looked at it.
	partRound27 = "round 27"
	// partRound28 is every output of the scenarios of round 28
	// (recorder.Round28: gRPC over TLS, etcd 3.4's client port with
	// etcdctl, curl, Go net/http, Python urllib, openssl s_client and
	// gnutls-cli as its clients), recorded on 2026-12-07 and measured
	// once; nobody tuning explain has looked at it.
	partRound28 = "round 28"
	// partRound29 is every output of the scenarios of round 29
	// (recorder.Round29: hitch 1.7, Varnish's TLS proxy with OpenSSL 3,
	// in front of a plain HTTP backend, against the HTTP client
	// stacks), recorded on 2026-12-07 and measured once; nobody tuning
	// explain has looked at it.
	partRound29 = "round 29"
	// partRound30 is every output of the scenarios of round 30
	// (recorder.Round30: more HTTPS clients, Perl's LWP, ncat, socat as
	// a client and w3m, against nginx), recorded on 2026-12-07 and
	// measured once; nobody tuning explain has looked at it.
	partRound30 = "round 30"
	// partRound31 is every output of the scenarios of round 31
	// (recorder.Round31: PgBouncer 1.18 with OpenSSL 3 terminating the
	// PostgreSQL protocol's TLS, against round 10's PostgreSQL clients),
	// recorded on 2026-12-07 and measured once; nobody tuning explain
	// has looked at it.
	partRound31 = "round 31"
	// partRound32 is every output of the scenarios of round 32
	// (recorder.Round32: lighttpd 1.4 with its four other TLS modules,
	// mod_gnutls, mod_mbedtls, mod_wolfssl and mod_nss, against the HTTP
	// client stacks), recorded on 2026-12-07, measured once held out,
	// then tuned on (session 15).
	partRound32 = "round 32"
	// partRound33 is every output of the scenarios of round 33
	// (recorder.Round33: Prometheus's node exporter 1.5 serving /metrics
	// over exporter-toolkit's TLS, against the HTTP client stacks and a
	// real Prometheus 2.42 scraping it), recorded on 2026-12-07, measured
	// once held out, then tuned on (session 15).
	partRound33 = "round 33"
	// partRound34 is every output of the scenarios of round 34
	// (recorder.Round34: rsyslog 8.2302 receiving syslog over TLS with
	// its GnuTLS and OpenSSL stream drivers, against a forwarding
	// rsyslogd, openssl s_client and gnutls-cli), recorded on 2026-12-07,
	// measured once held out, then tuned on (session 15).
	partRound34 = "round 34"
	// partRound35 is every output of the scenarios of round 35
	// (recorder.Round35: round 13's Postfix 3.7 against two SMTP clients
	// never graded before, msmtp 1.8 over GnuTLS and s-nail 14.9 over
	// OpenSSL, and round 13's SMTP clients), recorded on 2026-12-07,
	// measured once held out, then tuned on (session 15).
	partRound35 = "round 35"
	// partRound36 is every output of the scenarios of round 36
	// (recorder.Round36: the Zabbix agent 6.0's certificate-based TLS,
	// GnuTLS, against zabbix_sender, openssl s_client and gnutls-cli),
	// recorded on 2026-12-07, measured once held out, then tuned on
	// (session 15).
	partRound36 = "round 36"
	// partRound37 is every output of the scenarios of round 37
	// (recorder.Round37: dnsdist 1.7 as a DNS-over-TLS frontend, its
	// OpenSSL provider, against kdig, dig, the Python DoT client,
	// openssl s_client, gnutls-cli and botan tls_client), recorded on
	// 2026-12-07, measured once held out, then tuned on (session 15).
	partRound37 = "round 37"
	// partRound38 is every output of the scenarios of round 38
	// (recorder.Round38: small HTTPS services in Ruby,
	// OpenSSL::SSL::SSLServer, and Perl, IO::Socket::SSL, against the
	// HTTP client stacks), recorded on 2026-12-07, measured once held
	// out, then tuned on (session 15).
	partRound38 = "round 38"
	// partRound39 is every output of the scenarios of round 39
	// (recorder.Round39: nginx and Apache httpd as reverse proxies to a
	// misconfigured TLS backend, against the HTTP client stacks),
	// recorded on 2026-12-07, measured once held out, then tuned on
	// (session 15).
	partRound39 = "round 39"
	// partRound40 is every output of the scenarios of round 40
	// (recorder.Round40: the HTTP/2 TLS terminators h2o and nghttpx,
	// against the HTTP client stacks with nghttp and wget2), recorded on
	// 2026-12-07, measured once held out, then tuned on (session 16).
	partRound40 = "round 40"
	// partRound41 is every output of the scenarios of round 41
	// (recorder.Round41: round 13's Dovecot 2.3 against two IMAP clients
	// never graded, fetchmail 6.4 and mbsync 1.4, and round 13's IMAP
	// clients), recorded on 2026-12-07, measured once held out, then
	// tuned on (session 16).
	partRound41 = "round 41"
	// partRound42 is every output of the scenarios of round 42
	// (recorder.Round42: the DNS-over-TLS servers BIND 9.18's named,
	// OpenSSL, and Knot Resolver 5.6's kresd, GnuTLS, against kdig,
	// dig, the Python DoT client, openssl s_client, gnutls-cli and
	// botan tls_client), recorded on 2026-12-07, measured once held
	// out, then tuned on (session 16).
	partRound42 = "round 42"
	// partRound43 is every output of the scenarios of round 43
	// (recorder.Round43: InspIRCd 3.15, IRC over implicit TLS with its
	// ssl_gnutls module, against the Python ssl IRC client, openssl
	// s_client and gnutls-cli), recorded on 2026-12-07, measured once
	// held out, then tuned on (session 16).
	partRound43 = "round 43"
	// partRound44 is every output of the scenarios of round 44
	// (recorder.Round44: ejabberd 23.01, XMPP with STARTTLS and direct
	// TLS, fast_tls over OpenSSL, against slixmpp, openssl s_client and
	// gnutls-cli), recorded on 2026-12-07, measured once held out, then
	// tuned on (session 16).
	partRound44 = "round 44"
	// partRound45 is every output of the scenarios of round 45
	// (recorder.Round45: coturn 4.6, TURN over TLS with OpenSSL through
	// libevent, against turnutils_uclient, openssl s_client and
	// gnutls-cli), recorded on 2026-12-07, measured once held out, then
	// tuned on (session 16).
	partRound45 = "round 45"
	// partRound46 is every output of the scenarios of round 46
	// (recorder.Round46: NSD 4.6, DNS over TLS with OpenSSL, against
	// kdig, dig, the Python DoT client, openssl s_client, gnutls-cli and
	// botan tls_client), recorded on 2026-12-07, measured once held
	// out, then tuned on (session 16).
	partRound46 = "round 46"
	// partRound47 is every output of the scenarios of round 47
	// (recorder.Round47: ProFTPD 1.3.8, FTP over TLS with mod_tls over
	// OpenSSL, explicit and once implicit, against curl, Python's
	// ftplib, lftp, openssl s_client and gnutls-cli), recorded on
	// 2026-12-07: measured once held out, then tuned on (session 17).
	partRound47 = "round 47"
	// partRound48 is every output of the scenarios of round 48
	// (recorder.Round48: Squid 5.7 as a TLS-terminating reverse proxy,
	// https_port in accel mode with OpenSSL, against the HTTP client
	// stacks of round 40 but nghttp), recorded on 2026-12-07: measured
	// once held out, then tuned on (session 17).
	partRound48 = "round 48"
	// partRound49 is every output of the scenarios of round 49
	// (recorder.Round49: OpenSMTPD 6.8, SMTP with STARTTLS and
	// implicit TLS with OpenSSL, against swaks, curl, Python's smtplib,
	// msmtp, s-nail, openssl s_client and gnutls-cli), recorded on
	// 2026-12-07: measured once held out, then tuned on (session 17).
	partRound49 = "round 49"
	// partRound50 is every output of the scenarios of round 50
	// (recorder.Round50: ZNC 1.8, the IRC bouncer's TLS listener with
	// OpenSSL, against round 22's IRC clients: the Python ssl IRC
	// client, openssl s_client and gnutls-cli, logging in with PASS),
	// recorded on 2026-12-07: measured once held out, then tuned on
	// (session 17).
	partRound50 = "round 50"
	// partRound51 is every output of the scenarios of round 51
	// (recorder.Round51: QEMU 7.2's TLS character device, a chardev
	// socket server with tls-creds carrying an HMP monitor, against a
	// second QEMU whose chardev connects to it, openssl s_client and
	// gnutls-cli), recorded on 2026-12-07: measured once held out, then
	// tuned on (session 17).
	partRound51 = "round 51"
	// partRound52 is every output of the scenarios of round 52
	// (recorder.Round52: pgpool-II 4.3, TLS for its frontend clients
	// with OpenSSL in front of PostgreSQL, against psql and openssl
	// s_client -starttls postgres), recorded on 2026-12-07: measured
	// once held out, then tuned on (session 17).
	partRound52 = "round 52"
	// partRound53 is every output of the scenarios of round 53
	// (recorder.Round53: chrony 4.3's NTS-KE server, TLS 1.3 with
	// GnuTLS, against a chronyd as NTS client, openssl s_client and
	// gnutls-cli offering ALPN ntske/1), recorded on 2026-12-07:
	// measured once held out, then tuned on (session 18).
	partRound53 = "round 53"
	// partRound54 is every output of the scenarios of round 54
	// (recorder.Round54: memcached 1.6's TLS, OpenSSL, against
	// pymemcache, openssl s_client and gnutls-cli), recorded on
	// 2026-12-07: measured once held out, then tuned on (session 18).
	partRound54 = "round 54"
	// partRound55 is every output of the scenarios of round 55
	// (recorder.Round55: Murmur 1.3, Mumble's server, TLS at once on its
	// TCP port with Qt 5 over OpenSSL, against a small Python ssl Mumble
	// client, openssl s_client and gnutls-cli), recorded on 2026-12-07:
	// measured once held out, then tuned on (session 18).
	partRound55 = "round 55"
	// partRound56 is every output of the scenarios of round 56
	// (recorder.Round56: CUPS 2.4's scheduler, IPP over HTTP with TLS
	// at once or by HTTP Upgrade through libcups' GnuTLS, against
	// ipptool, lpstat, openssl s_client and curl), recorded on
	// 2026-12-07: measured once held out, then tuned on (session 18).
	partRound56 = "round 56"
	// partRound57 is every output of the scenarios of round 57
	// (recorder.Round57: Pure-FTPd 1.0.50, FTP over TLS with OpenSSL,
	// its syslog as the server log, against round 16's FTP clients),
	// recorded on 2026-12-07: measured once held out, then tuned on
	// (session 18).
	partRound57 = "round 57"
	// partRound58 is every output of the scenarios of round 58
	// (recorder.Round58: syslog-ng 3.38's TLS syslog source, OpenSSL,
	// against a second syslog-ng forwarding over TLS, the forwarding
	// rsyslogd, openssl s_client and gnutls-cli), recorded on
	// 2026-12-07: measured once held out, then tuned on (session 18).
	partRound58 = "round 58"
	// partRound59 is every output of the scenarios of round 59
	// (recorder.Round59: QEMU 7.2's VNC server with VeNCrypt and
	// tls-creds-x509, GnuTLS, against a small Python ssl VeNCrypt
	// client), recorded on 2026-12-07: measured once held out, then
	// tuned on (session 18).
	partRound59 = "round 59"
	// partRound60 is every output of the scenarios of round 60
	// (recorder.Round60: NTPsec 1.2.2's NTS-KE server, TLS 1.3 with
	// OpenSSL on its fixed port 4460, against round 53's chronyd NTS
	// client, openssl s_client and gnutls-cli), recorded on 2026-12-07:
	// measured once held out, then tuned on (session 18).
	partRound60 = "round 60"
	// partRound61 is every output of the scenarios of round 61
	// (recorder.Round61: SpamAssassin 4.0's spamd with --ssl, Perl's
	// IO::Socket::SSL over OpenSSL, against spamc --ssl, openssl
	// s_client and gnutls-cli), recorded on 2026-12-07: measured once
	// held out, then read for tuning (session 18): nothing was changed
	// for it.
	partRound61 = "round 61"
	// partRound62 is every output of the scenarios of round 62
	// (recorder.Round62: NSS 3.87's selfserv serving HTTP/1.0 over TLS
	// from an NSS database, against the HTTP client stacks and NSS's
	// tstclnt), recorded on 2026-12-07: measured once held out, then
	// tuned on (session 19).
	partRound62 = "round 62"
	// partRound63 is every output of the scenarios of round 63
	// (recorder.Round63: gunicorn 20.1 serving HTTPS itself, Python
	// 3.11's ssl over OpenSSL, against the HTTP client stacks as
	// Squid's of round 48), recorded on 2026-12-07: measured once held
	// out, then tuned on (session 19).
	partRound63 = "round 63"
	// partRound64 is every output of the scenarios of round 64
	// (recorder.Round64: Icecast 2.4.4, the streaming server, serving
	// HTTPS on an ssl listen-socket with OpenSSL, against the HTTP
	// client stacks as round 48 runs them), recorded on 2026-12-07:
	// measured once held out, then tuned on (session 19).
	partRound64 = "round 64"
	// partRound65 is every output of the scenarios of round 65
	// (recorder.Round65: uWSGI 2.0's HTTPS router serving HTTPS itself,
	// OpenSSL, against the HTTP client stacks as Squid's of round 48),
	// recorded on 2026-12-07: measured once held out, then tuned on
	// (session 19).
	partRound65 = "round 65"
	// partRound66 is every output of the scenarios of round 66
	// (recorder.Round66: Kamailio 5.6 serving SIP over TLS, its tls
	// module over OpenSSL 3, against sipsak, openssl s_client and
	// gnutls-cli sending a SIP OPTIONS request), recorded on
	// 2026-12-07: measured once held out, then tuned on (session 19).
	partRound66 = "round 66"
	// partRound67 is every output of the scenarios of round 67
	// (recorder.Round67: NRPE 4.1, the Nagios remote plugin executor,
	// its packets over TLS at once with OpenSSL, against check_nrpe,
	// openssl s_client and gnutls-cli), recorded on 2026-12-07:
	// measured once held out, then tuned on (session 19).
	partRound67 = "round 67"
	// partRound68 is every output of the scenarios of round 68
	// (recorder.Round68: Twisted 22.4's web server serving HTTPS on its
	// ssl: endpoint, pyOpenSSL over OpenSSL, against the HTTP client
	// stacks as Squid's of round 48), recorded on 2026-12-07: measured
	// once held out, then tuned on (session 19).
	partRound68 = "round 68"
	// partRound69 is every output of the scenarios of round 69
	// (recorder.Round69: Ruby's WEBrick 1.8.1 serving HTTPS with
	// SSLEnable, Ruby's openssl over OpenSSL, against the HTTP client
	// stacks as Squid's of round 48), recorded on 2026-12-07: measured
	// once held out, then tuned on (session 19).
	partRound69 = "round 69"
	// partRound70 is every output of the scenarios of round 70
	// (recorder.Round70: uvicorn 0.17, the ASGI server, serving HTTPS
	// itself, Python's ssl driven by asyncio's SSL transport over
	// OpenSSL, against the HTTP client stacks as Squid's of round 48 but
	// botan), recorded on 2026-12-07: measured once held out, then
	// tuned on (session 19).
	partRound70 = "round 70"
	// partRound71 is every output of the scenarios of round 71
	// (recorder.Round71: ocserv 1.1, the OpenConnect VPN server, its
	// HTTPS control channel over GnuTLS, against openconnect, openssl
	// s_client, gnutls-cli and curl), recorded on 2026-12-07: measured
	// once held out, then tuned on (session 19).
	partRound71 = "round 71"
	// partRound72 is every output of the scenarios of round 72
	// (recorder.Round72: Mongrel2 1.12 serving HTTPS itself, mbedTLS
	// 2.28, against the HTTP client stacks as Squid's of round 48),
	// recorded on 2026-12-07: measured once held out, then tuned on
	// (session 19).
	partRound72 = "round 72"
	// partRound73 is every output of the scenarios of round 73
	// (recorder.Round73: Puma 5.6 serving HTTPS itself, its MiniSSL
	// extension over OpenSSL 3, against the HTTP client stacks as
	// Squid's of round 48), recorded on 2026-12-07: measured once held
	// out, then tuned on (session 20).
	partRound73 = "round 73"
	// partRound74 is every output of the scenarios of round 74
	// (recorder.Round74: Tornado 6.2 serving HTTPS itself, Python's ssl
	// under Tornado's SSLIOStream over OpenSSL 3, against the HTTP client
	// stacks as Squid's of round 48), recorded on 2026-12-07: measured
	// once held out, then tuned on (session 20).
	partRound74 = "round 74"
	// partRound75 is every output of the scenarios of round 75
	// (recorder.Round75: Apache Traffic Server 9.2 terminating TLS,
	// OpenSSL 3, against the HTTP client stacks of round 40, nghttp
	// included), recorded on 2026-12-07: measured once held out, then
	// tuned on (session 20).
	partRound75 = "round 75"
	// partRound76 is every output of the scenarios of round 76
	// (recorder.Round76: WeeChat 3.8's relay as an IRC proxy over TLS,
	// GnuTLS, against round 22's IRC clients), recorded on 2026-12-07:
	// measured once held out, then tuned on (session 20).
	partRound76 = "round 76"
	// partRound77 is every output of the scenarios of round 77
	// (recorder.Round77: Monit 5.33's HTTP interface over TLS, OpenSSL
	// 3, against the HTTP client stacks as Squid's of round 48),
	// recorded on 2026-12-07: measured once held out, then tuned on
	// (session 20).
	partRound77 = "round 77"
	// partRound78 is every output of the scenarios of round 78
	// (recorder.Round78: system tools as TLS clients, apt-get update,
	// svn, ffmpeg, ab and links2, against nginx), recorded on
	// 2026-12-07: measured once held out, then tuned on (session 20).
	partRound78 = "round 78"
	// partRound79 is every output of the scenarios of round 79
	// (recorder.Round79: language package managers as TLS clients,
	// pip, RubyGems' gem, npm and the go command, against nginx as a
	// private registry), recorded on 2026-12-07: measured once held
	// out, then tuned on (session 20).
	partRound79 = "round 79"
	// partRound80 is every output of the scenarios of round 80
	// (recorder.Round80: mini_httpd 1.30 serving HTTPS itself, OpenSSL
	// 3, against the HTTP client stacks as Squid's of round 48),
	// recorded on 2026-12-08: measured once held out, then tuned on
	// (session 21).
	partRound80 = "round 80"
	// partRound81 is every output of the scenarios of round 81
	// (recorder.Round81: Yaws 2.1 serving HTTPS itself, Erlang/OTP 25's
	// ssl, against the HTTP client stacks as Squid's of round 48),
	// recorded on 2026-12-08: measured once held out, then tuned on
	// (session 21).
	partRound81 = "round 81"
	// partRound82 is every output of the scenarios of round 82
	// (recorder.Round82: language runtimes' own TLS clients, pandoc's
	// Haskell tls, LuaSec, Tcl's tls and Guile's (web client) over
	// GnuTLS, against nginx), recorded on 2026-12-08: measured once
	// held out, then tuned on (session 21).
	partRound82 = "round 82"
)

var parts = []string{partTuned, partHeld, partRound2, partRound3, partRound4, partRound5, partRound6, partRound7, partRound8, partRound9, partRound10, partRound11, partRound12, partRound13, partRound14, partRound15, partRound16, partRound17, partRound18, partRound19, partRound20, partRound21, partRound22, partRound23, partRound24, partRound25, partRound26, partRound27, partRound28, partRound29, partRound30, partRound31, partRound32, partRound33, partRound34, partRound35, partRound36, partRound37, partRound38, partRound39, partRound40, partRound41, partRound42, partRound43, partRound44, partRound45, partRound46, partRound47, partRound48, partRound49, partRound50, partRound51, partRound52, partRound53, partRound54, partRound55, partRound56, partRound57, partRound58, partRound59, partRound60, partRound61, partRound62, partRound63, partRound64, partRound65, partRound66, partRound67, partRound68, partRound69, partRound70, partRound71, partRound72, partRound73, partRound74, partRound75, partRound76, partRound77, partRound78, partRound79, partRound80, partRound81, partRound82}

// partHeader is each part's column heading in the accuracy table.
var partHeader = map[string]string{
	partTuned:   "tuned",
	partHeld:    "held-out (seen since session 5)",
	partRound2:  "round 2 (recorded 2026-12-05; 75 % when measured held out, since tuned on)",
	partRound3:  "round 3 (recorded 2026-12-05; 61 % when measured held out, since tuned on)",
	partRound4:  "round 4 (recorded 2026-12-05; 41 % when measured held out, since tuned on)",
	partRound5:  "round 5 (recorded 2026-12-05; 60 % when measured held out, since tuned on)",
	partRound6:  "round 6 (recorded 2026-12-05; 40 % when measured held out, since tuned on)",
	partRound7:  "round 7 (recorded 2026-12-06; 64 % when measured held out, since tuned on)",
	partRound8:  "round 8 (recorded 2026-12-06; 69 % when measured held out, since tuned on)",
	partRound9:  "round 9 (recorded 2026-12-06; 43 % when measured held out, since tuned on)",
	partRound10: "round 10 (recorded 2026-12-06; 45 % when measured held out, since tuned on)",
	partRound11: "round 11 (recorded 2026-12-06; 59 % when measured held out, since tuned on)",
	partRound12: "round 12 (recorded 2026-12-06; 60 % when measured held out, since tuned on)",
	partRound13: "round 13 (recorded 2026-12-06; 40 % when measured held out, since tuned on)",
	partRound14: "round 14 (recorded 2026-12-06; 40 % when measured held out, since tuned on)",
	partRound15: "round 15 (recorded 2026-12-06; 23 % when measured held out, since tuned on)",
	partRound16: "round 16 (recorded 2026-12-06; 51 % when measured held out, since tuned on)",
	partRound17: "round 17 (recorded 2026-12-06; 45 % when measured held out, since tuned on)",
	partRound18: "round 18 (recorded 2026-12-06; 60 % when measured held out, since tuned on)",
	partRound19: "round 19 (recorded 2026-12-06; 53 % when measured held out, since tuned on)",
	partRound20: "round 20 (recorded 2026-12-06; 58 % when measured held out, since tuned on)",
	partRound21: "round 21 (recorded 2026-12-06; 61 % when measured held out, since tuned on)",
	partRound22: "round 22 (recorded 2026-12-06; 39 % when measured held out, since tuned on)",
	partRound23: "round 23 (recorded 2026-12-06; 49 % when measured held out, since tuned on)",
	partRound24: "round 24 (recorded 2026-12-06; 78 % when measured held out, since tuned on)",
	partRound25: "round 25 (recorded 2026-12-06; 56 % when measured held out, since tuned on)",
	partRound26: "round 26 (recorded 2026-12-07; 55 % when measured held out, since tuned on)",
	partRound27: "round 27 (recorded 2026-12-07; 54 % when measured held out, since tuned on)",
	partRound28: "round 28 (recorded 2026-12-07; 47 % when measured held out, since tuned on)",
	partRound29: "round 29 (recorded 2026-12-07; 64 % when measured held out, since tuned on)",
	partRound30: "round 30 (recorded 2026-12-07; 64 % when measured held out, since tuned on)",
	partRound31: "round 31 (recorded 2026-12-07; 63 % when measured held out, since tuned on)",
	partRound32: "round 32 (recorded 2026-12-07; 47 % when measured held out, since tuned on)",
	partRound33: "round 33 (recorded 2026-12-07; 57 % when measured held out, since tuned on)",
	partRound34: "round 34 (recorded 2026-12-07; 51 % when measured held out, since tuned on)",
	partRound35: "round 35 (recorded 2026-12-07; 65 % when measured held out, since tuned on)",
	partRound36: "round 36 (recorded 2026-12-07; 36 % when measured held out, since tuned on)",
	partRound37: "round 37 (recorded 2026-12-07; 51 % when measured held out, since tuned on)",
	partRound38: "round 38 (recorded 2026-12-07; 52 % when measured held out, since tuned on)",
	partRound39: "round 39 (recorded 2026-12-07; 3 % when measured held out, since tuned on)",
	partRound40: "round 40 (recorded 2026-12-07; 61 % when measured held out, since tuned on)",
	partRound41: "round 41 (recorded 2026-12-07; 64 % when measured held out, since tuned on)",
	partRound42: "round 42 (recorded 2026-12-07; 40 % when measured held out, since tuned on)",
	partRound43: "round 43 (recorded 2026-12-07; 43 % when measured held out, since tuned on)",
	partRound44: "round 44 (recorded 2026-12-07; 53 % when measured held out, since tuned on)",
	partRound45: "round 45 (recorded 2026-12-07; 35 % when measured held out, since tuned on)",
	partRound46: "round 46 (recorded 2026-12-07; 51 % when measured held out, since tuned on)",
	partRound47: "round 47 (recorded 2026-12-07; 67 % when measured held out, since tuned on)",
	partRound48: "round 48 (recorded 2026-12-07; 52 % when measured held out, since tuned on)",
	partRound49: "round 49 (recorded 2026-12-07; 45 % when measured held out, since tuned on)",
	partRound50: "round 50 (recorded 2026-12-07; 65 % when measured held out, since tuned on)",
	partRound51: "round 51 (recorded 2026-12-07; 22 % when measured held out, since tuned on)",
	partRound52: "round 52 (recorded 2026-12-07; 43 % when measured held out, since tuned on)",
	partRound53: "round 53 (recorded 2026-12-07; 37 % when measured held out, since tuned on)",
	partRound54: "round 54 (recorded 2026-12-07; 56 % when measured held out, since tuned on)",
	partRound55: "round 55 (recorded 2026-12-07; 47 % when measured held out, since tuned on)",
	partRound56: "round 56 (recorded 2026-12-07; 23 % when measured held out, since tuned on)",
	partRound57: "round 57 (recorded 2026-12-07; 48 % when measured held out, since tuned on)",
	partRound58: "round 58 (recorded 2026-12-07; 58 % when measured held out, since tuned on)",
	partRound59: "round 59 (recorded 2026-12-07; 22 % when measured held out, since tuned on)",
	partRound60: "round 60 (recorded 2026-12-07; 58 % when measured held out, since tuned on)",
	partRound61: "round 61 (recorded 2026-12-07; 62 % when measured held out, since read for tuning)",
	partRound62: "round 62 (recorded 2026-12-07; 59 % when measured held out, since tuned on)",
	partRound63: "round 63 (recorded 2026-12-07; 49 % when measured held out, since tuned on)",
	partRound64: "round 64 (recorded 2026-12-07; 58 % when measured held out, since tuned on)",
	partRound65: "round 65 (recorded 2026-12-07; 52 % when measured held out, since tuned on)",
	partRound66: "round 66 (recorded 2026-12-07; 47 % when measured held out, since tuned on)",
	partRound67: "round 67 (recorded 2026-12-07; 37 % when measured held out, since tuned on)",
	partRound68: "round 68 (recorded 2026-12-07; 50 % when measured held out, since tuned on)",
	partRound69: "round 69 (recorded 2026-12-07; 59 % when measured held out, since tuned on)",
	partRound70: "round 70 (recorded 2026-12-07; 37 % when measured held out, since tuned on)",
	partRound71: "round 71 (recorded 2026-12-07; 37 % when measured held out, since tuned on)",
	partRound72: "round 72 (recorded 2026-12-07; 59 % when measured held out, since tuned on)",
	partRound73: "round 73 (recorded 2026-12-07; 39 % when measured held out, since tuned on)",
	partRound74: "round 74 (recorded 2026-12-07; 53 % when measured held out, since tuned on)",
	partRound75: "round 75 (recorded 2026-12-07; 46 % when measured held out, since tuned on)",
	partRound76: "round 76 (recorded 2026-12-07; 40 % when measured held out, since tuned on)",
	partRound77: "round 77 (recorded 2026-12-07; 55 % when measured held out, since tuned on)",
	partRound78: "round 78 (recorded 2026-12-07; 26 % when measured held out, since tuned on)",
	partRound79: "round 79 (recorded 2026-12-07; 55 % when measured held out, since tuned on)",
	partRound80: "round 80 (recorded 2026-12-08; 48 % when measured held out, since tuned on)",
	partRound81: "round 81 (recorded 2026-12-08; 63 % when measured held out, since tuned on)",
	partRound82: "round 82 (recorded 2026-12-08; 50 % when measured held out, since tuned on)",
}

// part says which part of the recordings an output belongs to: the
// tuned part, the first held-out quarter, or its round's part for the
// rounds whose every output was held out.
func part(r rec.Recording, o rec.Output) string {
	switch {
	case !o.HeldOut:
		return partTuned
	case r.Round >= rec.FreshRound:
		return fmt.Sprintf("round %d", r.Round)
	}
	return partHeld
}

// TestExplainOnRecordings grades explain on every failed output of the
// committed recordings, per client stack, separately for each part (see
// parts), and holds the verdict of every line to
// testdata/recordings/verdicts.txt and the table to
// docs/troubleshooting.md (-update-accuracy rewrites both).
func TestExplainOnRecordings(t *testing.T) {
	recs, err := rec.Load(recordingsDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 35 {
		t.Fatalf("%d recordings, want at least 35 scenarios: run `make record`", len(recs))
	}
	byPart := map[string]map[string]*tally{} // part → stack → tally
	all := map[string]*tally{}               // part → tally
	for _, p := range parts {
		byPart[p], all[p] = map[string]*tally{}, &tally{}
	}
	var lines, notRight []string
	var diag tally
	byText := map[string]map[string]int{}    // text, run noise masked → true cause → outputs
	exactText := map[string]map[string]int{} // the same, byte for byte
	for _, r := range recs {
		if _, ok := cause.Lookup(r.Cause); !ok {
			t.Errorf("%s: ground truth %q is not a registered cause", r.Scenario, r.Cause)
		}
		checkHeldOut(t, r)
		switch {
		case r.Probe == r.Cause:
			diag.right++
		case r.Probe == "n/a" || r.Probe == "":
		default:
			diag.wrong++
		}
		for _, o := range r.Outputs {
			if o.OK {
				lines = append(lines, fmt.Sprintf("%s\t%s\tsucceeded", r.Scenario, o.Stack))
				continue
			}
			v, h := verdict(r, o)
			first := "-"
			if len(h) > 0 {
				first = h[0]
			}
			lines = append(lines, fmt.Sprintf("%s\t%s\t%s\t%s", r.Scenario, o.Stack, v, first))
			p := part(r, o)
			m := byPart[p]
			if m == nil {
				t.Fatalf("%s: round %d has no part in the accuracy table", r.Scenario, r.Round)
			}
			if m[o.Stack] == nil {
				m[o.Stack] = &tally{}
			}
			count(exactText, o.Text, r.Cause)
			count(byText, maskRunNoise(o.Text), r.Cause)
			for _, tl := range []*tally{m[o.Stack], all[p]} {
				switch v {
				case "right":
					tl.right++
				case "partly":
					tl.partly++
				default:
					tl.wrong++
				}
			}
			if v != "right" {
				notRight = append(notRight, fmt.Sprintf("| %s | %s | %s | %s | %s |", r.Scenario, o.Stack, p, v, strings.Join(h[:min(len(h), 3)], ", ")))
				if *tune && !o.HeldOut {
					t.Logf("%s / %s: %s, explain says %v, truth %s\n%s\n", r.Scenario, o.Stack, v, h, r.Cause, o.Text)
				}
			}
		}
	}
	sort.Strings(lines)
	verdicts := strings.Join(lines, "\n") + "\n"

	var b strings.Builder
	b.WriteString("| Client stack |")
	for _, p := range parts {
		b.WriteString(" " + partHeader[p] + ": right / partly / wrong |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(parts)) + "\n")
	for _, s := range rec.Stacks {
		b.WriteString("| " + s + " |")
		for _, p := range parts {
			b.WriteString(" " + orTally(byPart[p][s]) + " |")
		}
		b.WriteString("\n")
	}
	b.WriteString("| **all** |")
	for _, p := range parts {
		fmt.Fprintf(&b, " **%s** |", all[p])
	}
	b.WriteString("\n")
	var total tally
	for _, p := range parts {
		total = total.plus(*all[p])
	}
	listed := total.right + total.partly
	fmt.Fprintf(&b, "\nAll parts together: %d right, %d partly, %d wrong of %d graded outputs (%.1f %% right first, %.1f %% with the true cause listed).", total.right, total.partly, total.wrong, total.total(), pct(total.right, total.total()), pct(listed, total.total()))
	best, shared := textCeiling(byText)
	exact, exactShared := textCeiling(exactText)
	fmt.Fprintf(&b, " %d outputs print the same text as an output of another true cause, but for what differs from run to run (thread ids, serials, pins, clocks); since explain reads only the text, no order of causes can put the true one first for more than %d (%.1f %%). Counting only byte-for-byte equal texts (%d outputs), the bound is %d (%.1f %%).\n", shared, best, pct(best, total.total()), exactShared, exact, pct(exact, total.total()))
	fmt.Fprintf(&b, "\n`diagnose` against the same live servers (its first error's cause): %d right, %d wrong of %d scenarios where it applies.\n", diag.right, diag.wrong, diag.total())
	b.WriteString("\nEvery recorded output that explain does not get right (first three causes it gives):\n\n| Scenario | Stack | Part | Verdict | explain's causes |\n|---|---|---|---|---|\n")
	for _, l := range notRight {
		b.WriteString(l + "\n")
	}
	table := b.String()
	t.Logf("explain on %d recordings:\n%s", len(recs), table)

	const verdictFile = recordingsDir + "/verdicts.txt"
	const doc = "../../docs/troubleshooting.md"
	docText, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	section := regexp.MustCompile(`(?s)(<!-- accuracy:begin -->\n).*?(<!-- accuracy:end -->)`)
	if !section.Match(docText) {
		t.Fatalf("%s has no <!-- accuracy:begin --> ... <!-- accuracy:end --> section", doc)
	}
	newDoc := section.ReplaceAllLiteral(docText, []byte("<!-- accuracy:begin -->\n"+table+"<!-- accuracy:end -->"))
	if *updateAccuracy {
		if err := os.WriteFile(verdictFile, []byte(verdicts), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(doc, newDoc, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	old, err := os.ReadFile(verdictFile)
	if err != nil {
		t.Fatalf("%v: run `go test ./lint/diagnose -run TestExplainOnRecordings -args -update-accuracy`", err)
	}
	if string(old) != verdicts {
		t.Errorf("explain's verdicts on the recordings changed (%s):\n%s\nrun with -args -update-accuracy when the change is intended", verdictFile, lineDiff(string(old), verdicts))
	}
	if string(newDoc) != string(docText) {
		t.Errorf("the accuracy table in docs/troubleshooting.md is stale: run with -args -update-accuracy")
	}
}

// runNoise masks what differs between two runs of the same failure
// and nothing else: OpenSSL's thread ids, gnutls-cli's serials, key ids
// and pins, fingerprints, clocks and durations (the recorder masks ports,
// pids and paths already). Error codes, alert numbers and versions stay:
// a reader can tell those apart.
var runNoise = []struct {
	re *regexp.Regexp
	to string
}{
	{regexp.MustCompile(`(?m)^[0-9A-F]{6,16}:error:`), "X:error:"},
	{regexp.MustCompile(`\b[0-9a-fA-F]{16,}\b`), "HEX"},
	{regexp.MustCompile(`\b[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){7,}\b`), "FP"},
	{regexp.MustCompile(`pin-sha256[:=]"?[A-Za-z0-9+/=]+"?`), "PIN"},
	{regexp.MustCompile(`serial 0x[0-9a-fA-F]+`), "serial X"},
	{regexp.MustCompile(`sha(256|1):[0-9a-f]+`), "sha:X"},
	{regexp.MustCompile(`\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?( UTC)?`), "DATE"},
	{regexp.MustCompile(`[A-Z][a-z]{2} +\d+ \d{2}:\d{2}:\d{2}( \d{4})?( GMT)?`), "DATE"},
	{regexp.MustCompile(`\d{2}:\d{2}:\d{2}(\.\d+)?`), "TIME"},
	{regexp.MustCompile(`\b\d+(\.\d+)? ?(ms|milliseconds|seconds|s)\b`), "N ms"},
	{regexp.MustCompile(`\b(0x)?[0-9a-f]{8,}\b`), "HEX"},
}

// count adds an output of true cause c printing text to m.
func count(m map[string]map[string]int, text, c string) {
	if m[text] == nil {
		m[text] = map[string]int{}
	}
	m[text][c]++
}

func maskRunNoise(text string) string {
	for _, m := range runNoise {
		text = m.re.ReplaceAllString(text, m.to)
	}
	return text
}

// textCeiling is the most outputs any reader of the text alone can get
// right first: for each text, the count of its most common true cause. shared counts the outputs whose text also belongs
// to another true cause.
func textCeiling(byText map[string]map[string]int) (best, shared int) {
	for _, causes := range byText {
		most, sum := 0, 0
		for _, n := range causes {
			most, sum = max(most, n), sum+n
		}
		best += most
		if len(causes) > 1 {
			shared += sum
		}
	}
	return best, shared
}

func pct(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

// checkHeldOut holds a recording's held_out marks to the rule of its
// round (recorder.RoundHeldOut), and its round to the scenario's.
func checkHeldOut(t *testing.T, r rec.Recording) {
	t.Helper()
	if sc, ok := rec.Lookup(r.Scenario); ok && sc.Round != r.Round {
		t.Errorf("%s: recorded as round %d, the scenario is round %d", r.Scenario, r.Round, sc.Round)
	}
	for _, o := range r.Outputs {
		want := rec.RoundHeldOut(r.Round, r.Scenario, o.Stack)
		if o.HeldOut != want {
			t.Errorf("%s / %s: held_out is %v, the rule of round %d says %v", r.Scenario, o.Stack, o.HeldOut, r.Round, want)
		}
	}
}

func orTally(t *tally) string {
	if t == nil {
		return "–"
	}
	return t.String()
}

func lineDiff(a, b string) string {
	as, bs := strings.Split(a, "\n"), strings.Split(b, "\n")
	in := func(l []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range l {
			m[x] = true
		}
		return m
	}
	ma, mb := in(as), in(bs)
	var out []string
	for _, x := range as {
		if !mb[x] {
			out = append(out, "- "+x)
		}
	}
	for _, x := range bs {
		if !ma[x] {
			out = append(out, "+ "+x)
		}
	}
	return strings.Join(out, "\n")
}

// TestMaskRunNoise: the bound on a text-only reading merges outputs
// that differ only in what changes from run to run, never in what a
// reader can tell apart (alert numbers, error codes, versions).
func TestMaskRunNoise(t *testing.T) {
	same := [][2]string{
		{"40675D5F2A7F0000:error:0A000086:SSL routines::certificate verify failed", "4067BD5F2A7F0000:error:0A000086:SSL routines::certificate verify failed"},
		{`serial 0x1f3a9c, pin-sha256="AbC+/1="`, `serial 0x77b2e0, pin-sha256="zzY9="`},
		{"activated `2026-11-01 10:00:01 UTC'", "activated `2026-12-07 07:31:59 UTC'"},
		{"curl: (28) Operation timed out after 5001 milliseconds", "curl: (28) Operation timed out after 5002 milliseconds"},
	}
	for _, p := range same {
		if a, b := maskRunNoise(p[0]), maskRunNoise(p[1]); a != b {
			t.Errorf("%q and %q differ after masking: %q, %q", p[0], p[1], a, b)
		}
	}
	apart := [][2]string{
		{"SSL alert number 42", "SSL alert number 40"},
		{"error:0A000086:SSL routines", "error:0A000102:SSL routines"},
		{"curl: (60) SSL certificate problem", "curl: (35) SSL certificate problem"},
		{"TLSv1.2", "TLSv1.3"},
	}
	for _, p := range apart {
		if maskRunNoise(p[0]) == maskRunNoise(p[1]) {
			t.Errorf("%q and %q are the same after masking", p[0], p[1])
		}
	}
	best, shared := textCeiling(map[string]map[string]int{"a": {"x": 3, "y": 1}, "b": {"z": 2}})
	if best != 5 || shared != 4 {
		t.Errorf("textCeiling = %d, %d; want 5, 4", best, shared)
	}
}
