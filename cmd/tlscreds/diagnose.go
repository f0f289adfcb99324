package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/lint"
	"github.com/tlscreds/tlscreds/lint/diagnose"
	"github.com/urfave/cli/v2"
)

func diagnoseCommand() *cli.Command {
	return &cli.Command{
		Name:  "diagnose",
		Usage: "connect to a TLS server as a client and say why the handshake fails; exit 1 when it does",
		UsageText: "tlscreds diagnose HOST:PORT|HOST|https://HOST[:PORT]/PATH|http://...|postgres://[USER@]HOST[:PORT]/DB\n" +
			"   |ldap://HOST[:PORT]|ldaps://HOST[:PORT]|smtp[s]://HOST[:PORT]|imap[s]://...|pop3[s]://...\n" +
			"   |mysql://HOST[:PORT]|mariadb://...|ftp://HOST[:PORT]|ftps://...|xmpp://HOST[:PORT]\n" +
			"   [--object SPEC | --creds DIR]\n" +
			"   [--ca FILE] [--cert FILE --key FILE] [--servername NAME] [--min-tls 1.2|1.3] [--max-tls 1.2|1.3]\n" +
			"   [--alpn P[,P]] [--starttls nbd|vnc|postgres|ldap|smtp|imap|pop3|mysql|ftp|xmpp] [--http [PATH] | --send TEXT] [--read-wait D] [--timeout D]\n" +
			"   [--format table|json]",
		Description: "Connects as the client a credential object describes (--object, or --creds DIR, a client\n" +
			"directory), or with loose files (--ca, --cert, --key, as for curl or openssl s_client), and records\n" +
			"the TCP outcome, the STARTTLS preamble, the server's chain, the TLS version and suite, whether a\n" +
			"client certificate was requested and which CAs the server accepts, alerts, and how the connection\n" +
			"ended. It reads once after the handshake, since a TLS 1.3 server refuses a client certificate only\n" +
			"then. Then it explains the failure: the cause (see docs/troubleshooting.md), the side at fault,\n" +
			"the evidence and the fix. Without a CA the system roots are used.\n\n" +
			"--starttls nbd speaks the NBD handshake up to NBD_OPT_STARTTLS (qemu-nbd --tls-creds); --starttls vnc\n" +
			"the RFB VeNCrypt negotiation (QEMU -vnc ...,tls-creds=ID); --starttls postgres (or a postgres:// URL)\n" +
			"PostgreSQL's SSLRequest, as psql sends it, and after the handshake a StartupMessage for the URL's user\n" +
			"(default: the client certificate's common name, as cert authentication maps it, else postgres): the\n" +
			"server's refusal (a client certificate pg_hba.conf requires, one that does not name the user) is read\n" +
			"in its own words; --starttls ldap (or an ldap:// URL) LDAP's StartTLS extended operation, as\n" +
			"ldapsearch -ZZ sends it, and after the handshake a \"Who am I?\" request; ldaps:// is TLS from the\n" +
			"first byte (port 636); --starttls smtp, imap or pop3 (or smtp://, imap://, pop3:// URLs, ports 25,\n" +
			"143, 110) read the greeting, look for STARTTLS (STLS) among the capabilities and ask for it, as\n" +
			"openssl s_client -starttls and swaks do, and after the handshake start the session over (EHLO,\n" +
			"CAPABILITY, CAPA); smtps://, imaps:// and pop3s:// are TLS from the first byte (465, 993, 995);\n" +
			"--starttls mysql (or mysql:// and mariadb:// URLs, port 3306) reads the server's greeting and sends\n" +
			"the SSLRequest, as the mariadb client with --ssl does, and nothing after the handshake; --starttls ftp\n" +
			"(or an ftp:// URL, port 21) reads the greeting and sends AUTH TLS (RFC 4217), as curl ftp://\n" +
			"--ssl-reqd and lftp do, and nothing after the handshake; ftps:// is TLS from the first byte (990);\n" +
			"--starttls xmpp (or an xmpp:// URL, port 5222) opens a stream to the host (or --servername) as the\n" +
			"XMPP domain and asks for <starttls/> (RFC 6120), as openssl s_client -starttls xmpp does.\n" +
			"Flags may follow HOST:PORT.\n\n" +
			"The server may be given as HOST:PORT, [::1]:PORT, HOST alone (port 443), or a URL. https://HOST/PATH\n" +
			"says HTTP is spoken there: after the handshake the request is sent as curl sends it (also --http [PATH]),\n" +
			"and what follows is classified: a response, close_notify, a close without close_notify (a truncation:\n" +
			"the backend died, timed out or rejected the request), a reset, or silence for --read-wait. --send TEXT\n" +
			"sends other protocols' first words (\\r\\n escapes allowed). http://HOST/ checks whether the port speaks\n" +
			"TLS (then http:// is the mistake) or plain HTTP. Exit status 1 also when the handshake works here but\n" +
			"mainstream peers at their default settings refuse the server (RSA under 2048 bits: OpenSSL 3).\n\n" +
			"EXIT STATUS:\n" +
			"   0  the handshake and the first read succeeded (warnings may be printed)\n" +
			"   1  the handshake failed, or peers at default settings refuse the server; the causes are printed\n" +
			"   2  usage error: bad flags, an object that does not load\n",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "object", Usage: "QEMU object spec of the client (tls-creds-x509,...,endpoint=client), and secret objects for its passwordid"},
			&cli.StringFlag{Name: "creds", Usage: "client credential directory (QEMU, libvirt or Kubernetes file names)"},
			&cli.StringFlag{Name: "ca", Usage: "CA bundle to verify the server with (default: the object's, else the system roots)"},
			&cli.StringFlag{Name: "cert", Usage: "client certificate file (with --key)"},
			&cli.StringFlag{Name: "key", Usage: "client private key file (with --cert)"},
			&cli.StringFlag{Name: "servername", Usage: "name to send as SNI and to check the certificate against (default: HOST)"},
			&cli.StringFlag{Name: "min-tls", Usage: "lowest TLS version to offer: 1.2 or 1.3"},
			&cli.StringFlag{Name: "max-tls", Usage: "highest TLS version to offer: 1.2 or 1.3"},
			&cli.StringFlag{Name: "alpn", Usage: "application protocols to offer, comma-separated"},
			enum(&cli.StringFlag{Name: "starttls", Usage: "plain-text preamble before TLS"}, diagnose.StartTLSNBD, diagnose.StartTLSVNC, diagnose.StartTLSPostgres, diagnose.StartTLSLDAP, diagnose.StartTLSSMTP, diagnose.StartTLSIMAP, diagnose.StartTLSPOP3, diagnose.StartTLSMySQL, diagnose.StartTLSFTP, diagnose.StartTLSXMPP),
			&cli.StringFlag{Name: "timeout", Value: "10s", Usage: "limit for each connection (resolve, connect, STARTTLS, handshake)"},
			&optionalFlag{StringFlag: &cli.StringFlag{Name: "http", Usage: "after the handshake, send an HTTP/1.1 GET for PATH (default /) with Host, and read the response"},
				Default: "/", IsValue: func(w string) bool { return strings.HasPrefix(w, "/") }},
			&cli.StringFlag{Name: "send", Usage: "after the handshake, send TEXT (\\r\\n escapes allowed) and read the answer"},
			&cli.StringFlag{Name: "read-wait", Usage: "how long the first read after the handshake waits (default 500ms, 5s after a request)"},
			enum(&cli.StringFlag{Name: "format", Value: "table", EnvVars: formatEnv, Usage: "json is schema " + diagnose.DiagnoseSchema + " (docs/troubleshooting.md)"}, "table", "json"),
			outputFlag,
		},
		Action: runDiagnose,
	}
}

func runDiagnose(c *cli.Context) error {
	args := c.Args().Slice()
	if len(args) != 1 {
		return usageErrf("need exactly one HOST:PORT (got %d arguments)", len(args))
	}
	tg, err := diagnose.ParseTarget(args[0])
	if err != nil {
		return usageErr(err, "write IPv6 addresses in brackets: [::1]:443; a URL is https://HOST[:PORT]/PATH, postgres://[USER@]HOST[:PORT]/DB, ldap://HOST, ldaps://HOST, smtp://HOST:587, imaps://HOST, mysql://HOST, ftp://HOST or xmpp://HOST")
	}
	addr := tg.Addr
	format := c.String("format")
	o, err := probeOptions(c)
	if err != nil {
		return err
	}
	if err := requestOptions(c, tg, &o); err != nil {
		return err
	}
	r := diagnose.Probe(c.Context, addr, o)
	fs := diagnose.Diagnose(r)
	if format == "json" {
		err = diagnose.WriteReportJSON(c.App.Writer, r, fs)
	} else {
		err = diagnose.WriteReportTable(c.App.Writer, r, fs)
	}
	if err != nil {
		return err
	}
	refused := hasError(fs)
	if r.OK && !refused {
		return nil
	}
	what := "the handshake with %s failed: %s"
	if r.OK {
		what = "the handshake with %s works here, but: %s"
	}
	return &cmdError{
		err:   fmt.Errorf(what, addr, headline(fs)),
		code:  exitFailed,
		hints: []string{"paste the server's log lines into `tlscreds explain`; check both objects offline with `tlscreds pair --server SPEC|DIR --client SPEC|DIR`"},
	}
}

func hasError(fs []lint.Finding) bool {
	for _, f := range fs {
		if f.Severity == lint.Error {
			return true
		}
	}
	return false
}

// urlStartTLS is how TLS starts for the URL schemes of protocols other
// than HTTP and PostgreSQL: a STARTTLS preamble, or "" for TLS from the
// first byte.
var urlStartTLS = map[string]string{
	"ldap": diagnose.StartTLSLDAP, "ldaps": "",
	"smtp": diagnose.StartTLSSMTP, "smtps": "",
	"imap": diagnose.StartTLSIMAP, "imaps": "",
	"pop3": diagnose.StartTLSPOP3, "pop3s": "",
	"mysql": diagnose.StartTLSMySQL,
	"ftp":   diagnose.StartTLSFTP, "ftps": "",
	"xmpp": diagnose.StartTLSXMPP,
}

func hasKey[K comparable, V any](m map[K]V, k K) bool {
	_, ok := m[k]
	return ok
}

// requestOptions sets what the probe sends after the handshake: the
// request a URL implies, --http [PATH] or --send TEXT, and --read-wait.
func requestOptions(c *cli.Context, tg diagnose.Target, o *diagnose.ProbeOptions) error {
	if o.ServerName == "" {
		o.ServerName = tg.Host
	}
	send, path := c.String("send"), c.String("http")
	switch {
	case send != "" && path != "":
		return usageErrf("give --http or --send, not both")
	case hasKey(urlStartTLS, tg.Scheme):
		if send != "" || path != "" {
			return usageErrf("an %s:// URL is probed as its clients connect: drop --http and --send", tg.Scheme)
		}
		want := urlStartTLS[tg.Scheme]
		if o.StartTLS != "" && o.StartTLS != want {
			return usageErrf("an %s:// URL says how TLS starts: drop --starttls %s", tg.Scheme, o.StartTLS)
		}
		o.StartTLS = want
	case tg.Scheme == "postgres":
		if send != "" || path != "" {
			return usageErrf("a postgres:// URL is probed as psql connects (SSLRequest, handshake, StartupMessage): drop --http and --send")
		}
		if o.StartTLS != "" && o.StartTLS != diagnose.StartTLSPostgres {
			return usageErrf("a postgres:// URL speaks PostgreSQL: drop --starttls %s", o.StartTLS)
		}
		o.StartTLS, o.User = diagnose.StartTLSPostgres, tg.User
	case tg.Scheme == "http":
		if send != "" || path != "" {
			return usageErrf("an http:// URL is probed for TLS only: drop --http and --send, or use https://")
		}
		o.PlainHTTP = true
	case path != "":
		if !strings.HasPrefix(path, "/") {
			return usageErrf("--http %q: want a path starting with /", path)
		}
		o.Send, o.HTTP = tg.HTTPRequest(path), true
	case send != "":
		text := send
		if u, err := strconv.Unquote(`"` + strings.ReplaceAll(send, `"`, `\"`) + `"`); err == nil {
			text = u
		}
		o.Send = []byte(text)
	case tg.Scheme == "https":
		o.Send, o.HTTP = tg.HTTPRequest(""), true
	}
	if o.HTTP && len(o.ALPN) == 0 {
		// As curl does for an HTTP/1.1 request: a server whose ALPN
		// list lacks it refuses the handshake (no_application_protocol).
		o.ALPN, o.ALPNImplied = []string{"http/1.1"}, true
	}
	if s := c.String("read-wait"); s != "" {
		d, err := parseDuration("read-wait", s)
		if err != nil {
			return usageErr(err)
		}
		o.ReadWait = d
	}
	return nil
}

// headline names the first error finding's cause.
func headline(fs []lint.Finding) string {
	for _, f := range fs {
		if f.Severity == lint.Error {
			if c, ok := cause.Lookup(f.Rule); ok {
				return fmt.Sprintf("%s (%s)", c.ID, c.Summary)
			}
			return f.Rule
		}
	}
	return "see above"
}

// probeOptions builds the client side from --object, --creds and the
// loose-file flags, then applies the connection flags.
func probeOptions(c *cli.Context) (diagnose.ProbeOptions, error) {
	var o diagnose.ProbeOptions
	sp, pw, err := clientSpec(c)
	if err != nil {
		return o, usageErr(err)
	}
	if sp != nil {
		if err := o.UseSpec(sp, pw); err != nil {
			if errors.Is(err, creds.ErrWrongEndpoint) || errors.Is(err, creds.ErrUnsupportedKind) {
				return o, usageErr(err)
			}
			return o, usageErr(err, "run `tlscreds lint` on it to see every problem")
		}
	}
	o.ServerName = c.String("servername")
	for _, v := range []struct {
		flag string
		dst  *uint16
	}{{"min-tls", &o.MinVersion}, {"max-tls", &o.MaxVersion}} {
		if s := c.String(v.flag); s != "" {
			if *v.dst, err = parseTLSVersion(v.flag, s); err != nil {
				return o, usageErr(err)
			}
		}
	}
	if o.MinVersion != 0 && o.MaxVersion != 0 && o.MinVersion > o.MaxVersion {
		return o, usageErrf("--min-tls is above --max-tls")
	}
	if s := c.String("alpn"); s != "" {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				o.ALPN = append(o.ALPN, p)
			}
		}
	}
	o.StartTLS = c.String("starttls")
	if o.Timeout, err = parseDuration("timeout", c.String("timeout")); err != nil {
		return o, usageErr(err)
	}
	return o, nil
}

// clientSpec is the client object to probe as: --object, --creds DIR, or
// a spec over the loose files; nil when none is given (system roots, no
// client certificate).
func clientSpec(c *cli.Context) (*creds.Spec, []byte, error) {
	ca, cert, key, dir := c.String("ca"), c.String("cert"), c.String("key"), c.String("creds")
	objects := c.StringSlice("object")
	if (cert == "") != (key == "") {
		return nil, nil, errors.New("--cert and --key go together")
	}
	var specs creds.Specs
	for _, s := range objects {
		if err := addSpec(&specs, s); err != nil {
			return nil, nil, err
		}
	}
	switch {
	case len(specs.Objects) > 1:
		return nil, nil, errors.New("give one credentials object with --object (and secret objects for its passwordid)")
	case len(specs.Objects) == 1 && (dir != "" || ca != "" || cert != ""):
		return nil, nil, errors.New("--object names its files itself: drop --creds, --ca, --cert and --key")
	case len(specs.Objects) == 1:
		sp := specs.Objects[0]
		pw, err := specs.Password(sp)
		return sp, pw, err
	case len(objects) > 0:
		return nil, nil, errors.New("--object gives only secret objects: add the tls-creds-x509 object")
	case dir != "":
		t, err := lint.DirTarget("client", dir, creds.EndpointClient)
		if err != nil {
			return nil, nil, fmt.Errorf("--creds: %w", err)
		}
		// Loose files override the directory's.
		var loose []string
		if ca != "" {
			loose = append(loose, "ca", ca)
		}
		if cert != "" {
			loose = append(loose, "cert", cert, "key", key)
		}
		sp, err := t.Spec.With(loose...)
		return sp, nil, err
	case ca == "" && cert == "":
		return nil, nil, nil
	}
	props := []string{"endpoint", "client"}
	for _, f := range [][2]string{{"ca", ca}, {"cert", cert}, {"key", key}} {
		if f[1] != "" {
			props = append(props, f[0], f[1])
		}
	}
	sp, err := creds.NewSpec(creds.KindX509, "client", props...)
	return sp, nil, err
}

func parseTLSVersion(flag, s string) (uint16, error) {
	switch s {
	case "1.2":
		return tls.VersionTLS12, nil
	case "1.3":
		return tls.VersionTLS13, nil
	}
	return 0, fmt.Errorf("--%s %q: want 1.2 or 1.3", flag, s)
}
