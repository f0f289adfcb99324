package diagnose

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/tlscreds/tlscreds/creds/cause"
)

// otherPatterns are the words of TLS stacks the recorder does not run,
// taken from their sources and measured where the program installs here:
// Node.js (measured: Node 20 against openssl s_server), .NET's SslStream,
// Rust's rustls, PostgreSQL's libpq, Firefox's and Chrome's error codes,
// and OpenSSL's verify errors by their symbolic names (X509_V_ERR_*,
// which Node.js and others print as the error's code).
func otherPatterns() []*pattern {
	return []*pattern{
		// Node.js tls.checkServerIdentity.
		{source: "Node.js", re: re(`Hostname/IP does not match certificate's altnames: (?:Host|IP): (\S+?)\.? is not (?:in the cert's altnames|in the cert's list)`), side: sideClientSees, meaning: "the server's certificate does not cover $1", causes: []string{cause.NameMismatch}},
		{source: "Node.js", re: re(`Hostname/IP does not match certificate's altnames: Host: (\S+?)\.? is not cert's CN`), side: sideClientSees, meaning: "the server's certificate has no DNS name in its subjectAltName, and its common name is not $1", causes: []string{cause.NameMismatch, cause.CNOnly}},
		{source: "Node.js", re: re(`Hostname/IP does not match certificate's altnames: Cert does not contain a DNS name`), side: sideClientSees, meaning: "the server's certificate has no DNS name to match the host name against", causes: []string{cause.CNOnly, cause.NameMismatch}},

		// OpenSSL's verify errors by name: Node.js's err.code, Ruby's and
		// PHP's constants, X509_V_ERR_* in C programs.
		{source: "OpenSSL", re: re(`\b(?:X509_V_ERR_)?(` + strings.Join(x509VErrNames(), "|") + `)\b`), side: sideVerifier, refine: x509VErrRefine},

		// .NET SslStream (System.Net.Security): SslPolicyErrors and, since
		// .NET 7, the chain's X509ChainStatusFlags.
		{source: ".NET", re: re(`The remote certificate is invalid according to the validation procedure(?:: ([A-Za-z, ]+))?`), side: sideClientSees, meaning: "the server's certificate failed .NET's validation ($1)", causes: []string{cause.UnknownCA, cause.NameMismatch, cause.Expired}, refine: dotnetRefine},
		{source: ".NET", re: re(`The remote certificate is invalid because of errors in the certificate chain: ([A-Za-z, ]+)`), side: sideClientSees, meaning: "the server's certificate chain failed .NET's validation: $1", causes: []string{cause.UnknownCA}, refine: dotnetRefine},
		{source: ".NET", re: re(`Authentication failed because the remote party (?:has closed the transport stream|sent a TLS alert: '?(\w+)'?)|Received an unexpected EOF or 0 bytes from the transport stream`), side: sideTransport, meaning: "the peer ended the handshake", causes: []string{cause.Reset}, refine: dotnetAlertRefine},
		{source: ".NET", re: re(`The handshake failed due to an unexpected packet format|Cannot determine the frame size or a corrupted frame was received`), side: sideClientSees, meaning: "the server's answer is not TLS: a plain-text service, or a port that needs a STARTTLS preamble", causes: []string{cause.NotTLS}},

		// rustls (its Error and CertificateError as printed; older
		// versions through webpki's names).
		{source: "rustls", re: re(`invalid peer certificate: (?:Other\(OtherError\()?([A-Za-z]+)`), side: sideVerifier, refine: rustlsCertRefine},
		{source: "rustls", re: re(`invalid peer certificate: certificate not valid for name`), side: sideVerifier, meaning: "the server's certificate does not cover the name the client asked for", causes: []string{cause.NameMismatch}},
		{source: "rustls", re: re(`invalid peer certificate: certificate expired`), side: sideVerifier, meaning: "the peer's certificate has expired", causes: []string{cause.Expired}},
		{source: "rustls", re: re(`invalid peer certificate: certificate not valid yet`), side: sideVerifier, meaning: "the peer's certificate is not valid yet", causes: []string{cause.NotYetValid}},
		{source: "rustls", re: re(`received fatal alert: ([A-Z][A-Za-z0-9]+)`), refine: camelAlertRefine},
		{source: "rustls", re: re(`peer is incompatible: ([A-Za-z0-9]+)|PeerIncompatible\(([A-Za-z0-9]+)`), side: sideEither, meaning: "the peers share no parameters ($1$2)", causes: []string{cause.NoSharedCipher, cause.Version}, refine: rustlsIncompatibleRefine},
		{source: "rustls", re: re(`received corrupt message of type InvalidContentType|CorruptMessage\b`), side: sideClientSees, meaning: "the peer's answer is not TLS", causes: []string{cause.NotTLS}},
		{source: "rustls", re: re(`peer sent no certificates|NoCertificatesPresented`), side: sideServerSees, meaning: "the client sent no certificate and the server requires one", causes: []string{cause.ClientCertRequired}},

		// PostgreSQL's libpq (fe-secure-common.c, fe-secure-openssl.c).
		{source: "libpq", re: re(`server certificate for "([^"]*)"(?: \(and \d+ other names?\))? does not match host name "([^"]*)"`), side: sideClientSees, meaning: "the server's certificate is for $1, not for $2 (sslmode=verify-full)", causes: []string{cause.NameMismatch}},
		// libpq's (and Ruby's, PHP's) words for OpenSSL's SSL_ERROR_SYSCALL.
		{source: "libpq", re: re(`SSL SYSCALL error: (EOF detected|[^\n]+)`), side: sideTransport, meaning: "the connection was closed or reset under TLS, without an alert ($1)", causes: []string{cause.Reset}, refine: hangUpRefine(false)},
		{source: "libpq", re: re(`server does not support SSL, but SSL was required`), side: sideClientSees, meaning: "the PostgreSQL server answered the client's SSLRequest with 'N': it has ssl = off, or (pgpool-II) ssl = on but it could not load its certificate or key and serves without TLS (its start-up log says so)", causes: []string{cause.StartTLS, cause.LoadFailed}, fix: "set ssl = on with ssl_cert_file and ssl_key_file in postgresql.conf (and reload), or connect with sslmode=prefer/disable if this server is meant to be plain; pgpool-II with ssl = on logs \"could not load private key file\" (or certificate) as it starts when it falls back to plain connections"},
		// pgpool-II 4.3 (round 52): its pool_hba.conf's cert method with
		// a client that sent no certificate, and a client that closed
		// the TLS connection cleanly right after the handshake, before
		// its startup packet: libpq checks the server's name after the
		// handshake (sslmode=verify-full) and closes when it fails.
		{source: "pgpool-II", re: re(`CERT authentication failed\s*\n(?:[^\n]*)DETAIL:\s+no valid certificate presented`), side: "printed by pgpool-II (and by psql, which shows its ERROR): pool_hba.conf's cert method asks for a client certificate and the client presented none that verified", meaning: "pgpool-II requires a client certificate (cert in pool_hba.conf) and the client sent none (or one its ssl_ca_cert does not verify)", causes: []string{cause.ClientCertRequired, cause.ClientCertRejected}, fix: "give the client sslcert and sslkey (default ~/.postgresql/postgresql.crt and postgresql.key) issued by a CA in pgpool's ssl_ca_cert"},
		{source: "pgpool-II", re: re(`ssl read: SSL_ERROR_ZERO_RETURN\s*\n[^\n]*pool_ssl: "SSL_read": "no SSL error reported"`), side: "printed by pgpool-II: the client closed the TLS connection (close_notify) right after the handshake, before its startup packet", meaning: "the client completed the TLS handshake and closed it at once: libpq checks the server's host name after the handshake (sslmode=verify-full) and closes when the certificate does not name the host", causes: refusedAfterHandshakeCauses(), fix: "read the client's error (psql: \"server certificate for ... does not match host name\"); give pgpool a certificate (ssl_cert) that names the host clients connect to, or connect by a name it lists"},

		{source: "libpq", re: re(`root certificate file "([^"]*)" does not exist`), side: sideClientConfig, meaning: "libpq verifies the server (sslmode=verify-ca or verify-full) but its CA file $1 is missing", causes: []string{cause.LoadFailed}, rules: []string{"file-missing"}, fix: "set sslrootcert to the CA file that issued the server's certificate (default ~/.postgresql/root.crt)"},
		{source: "libpq", re: re(`certificate present, but not private key file "([^"]*)"`), side: sideClientConfig, meaning: "libpq found the client certificate (sslcert) but not its key $1", causes: []string{cause.LoadFailed}, rules: []string{"identity-unpaired", "file-missing"}, fix: "set sslkey to the key of sslcert (default ~/.postgresql/postgresql.key), readable by the user that runs the client"},
		{source: "libpq", re: re(`certificate does not match private key file "([^"]*)"`), side: sideClientConfig, meaning: "the client's key $1 does not belong to its certificate (sslcert)", causes: []string{cause.LoadFailed}, rules: []string{"key-mismatch"}, fix: "point sslkey at the key of sslcert (compare openssl x509 -noout -pubkey -in CERT with openssl pkey -pubout -in KEY)"},
		{source: "libpq", re: re(`could not (?:open|read) (?:root )?certificate file "([^"]*)"`), side: sideClientConfig, meaning: "libpq cannot read the file $1 (sslcert or sslrootcert)", causes: []string{cause.LoadFailed}, rules: []string{"file-missing", "file-unreadable", "file-invalid"}, fix: "fix sslcert / sslrootcert: the path, its permissions for the user that runs the client, or its format (PEM)"},
		{source: "libpq", re: re(`SSL connection has been closed unexpectedly`), side: sideTransport, meaning: "the server closed the connection under TLS without an alert", causes: []string{cause.Reset}, refine: hangUpRefine(false)},
		{source: "libpq", re: re(`This may indicate that the (?:server|client) does not support any SSL protocol version between (\S+) and (\S+)`), side: sideEither, meaning: "no TLS version in common: this side allows $1 to $2 (ssl_min_protocol_version / ssl_max_protocol_version, sslminprotocolversion / sslmaxprotocolversion)", causes: []string{cause.Version}},

		// OpenLDAP: libldap's words in ldapsearch and every libldap
		// program, and slapd's log at -d stats (Debian's 2.5, built with
		// GnuTLS; measured, fixtures/recorder round 11).
		{source: "libldap", re: re(`(ldap_\w+(?:\(\w+\))?): Can't contact LDAP server \(-1\)`), side: sideClientSees, refine: ldapServerDownRefine},
		{source: "libldap", re: re(`ldap_start_tls: Connect error \(-11\)`), side: sideClientSees, meaning: "the server accepted StartTLS, then the TLS handshake failed on the client's side: most often the client refused the server's certificate (libldap with GnuTLS adds no reason: \"(unknown error code)\")", causes: []string{cause.UnknownCA, cause.Expired, cause.NameMismatch, cause.MissingIntermediate, cause.Version}, fix: ldapDebugFix},
		{source: "libldap", re: re(`TLS: peer cert untrusted or revoked \((0x[0-9a-fA-F]+)\)`), side: sideVerifier, refine: gnutlsStatusRefine},
		{source: "libldap", re: re(`TLS: hostname \(([^)\n]*)\) does not match common name in certificate \(([^)\n]*)\)`), side: sideClientSees, meaning: "the server's certificate is for $2, not for $1 (the host name of the LDAP URI, after libldap's canonicalisation)", causes: []string{cause.NameMismatch}},
		{source: "libldap", re: re(`TLS: can't connect: ([^\n]+)`), wrapper: true, side: sideClientSees, meaning: "libldap's TLS handshake with the server failed: $1", causes: []string{cause.UnknownCA, cause.NameMismatch, cause.Expired}},
		{source: "libldap", re: re(`ldap_start_tls: Protocol error \(2\)(?:\s+additional info: unsupported extended operation)?|STARTTLS failed, LDAP Result Code: 2\b|do_extended: unsupported operation "1\.3\.6\.1\.4\.1\.1466\.20037"`), side: "printed by an LDAP client (ldapsearch -ZZ, openssl s_client -starttls ldap) or slapd's log: the server answered the StartTLS request with protocolError", meaning: "the LDAP server has no TLS configured: slapd without a certificate answers StartTLS with \"unsupported extended operation\"", causes: []string{cause.StartTLS}, fix: "give slapd its certificate and key (TLSCertificateFile / TLSCertificateKeyFile in slapd.conf, olcTLSCertificateFile / olcTLSCertificateKeyFile in cn=config) and restart it, or use ldaps:// if the server listens there"},
		{source: "slapd", re: re(`TLS: can't accept: \(unknown error code\)`), side: "printed by slapd: a TLS connection from a client failed on slapd's side after the handshake", meaning: "slapd refused the client's certificate after the handshake (TLSVerifyClient demand or try): its issuer is not in TLSCACertificateFile, it is revoked in TLSCRLFile, or it is expired; slapd's log at -d stats does not say which (-d trace does)", causes: []string{cause.ClientCertRejected, cause.Revoked, cause.Expired}, fix: "give the client a certificate issued by a CA in slapd's TLSCACertificateFile, valid and not revoked (`tlscreds lint` its directory with the server's CA), or run slapd with -d trace to see GnuTLS's verify status"},
		{source: "slapd", re: re(`TLS: can't accept: ([^\n]+)`), wrapper: true, side: sideServerSees, meaning: "slapd's TLS handshake with a client failed: $1"},
		{source: "slapd", re: re(`conn=\d+ fd=\d+ TLS established [^\n]*\n(?:[^\n]*\n)?[^\n]*conn=\d+ fd=\d+ closed \(connection lost\)`), side: "printed by slapd: a client completed the TLS handshake and hung up before its first LDAP request", meaning: "the client hung up right after the handshake, without a request: a TLS 1.3 client that refused slapd's certificate after the handshake completed on slapd's side (the client says why), or a health check", causes: []string{cause.UnknownCA, cause.NameMismatch, cause.MissingIntermediate, cause.Expired}, fix: "read the client's error (ldapsearch -d 1 prints it), or check slapd's certificate from the client's side: `tlscreds diagnose ldaps://HOST:PORT --ca CLIENT-CA-FILE`"},

		// The PostgreSQL server (be-secure-openssl.c, auth.c), its words
		// read from Debian's postgres 15 binary and measured (round 10).
		// Its log and the FATAL it sends the client (psql prints it after
		// "failed: ") are the same words.
		{source: "PostgreSQL", re: re(`connection requires a valid client certificate`), side: "printed by PostgreSQL (and by psql, which shows the server's FATAL): pg_hba.conf asks for a client certificate (cert, or clientcert=verify-ca / verify-full) and the client sent none", meaning: "the server requires a client certificate and the client sent none", causes: []string{cause.ClientCertRequired}, fix: "give the client sslcert and sslkey (default ~/.postgresql/postgresql.crt and postgresql.key) issued by a CA in the server's ssl_ca_file"},
		{source: "PostgreSQL", re: re(`certificate authentication failed for user "([^"]*)"|certificate validation \(clientcert=verify-full\) failed for user "([^"]*)"(?:: (CN|DN) mismatch)?`), side: "printed by PostgreSQL (and by psql, which shows the server's FATAL): the client's certificate verified, but does not name the database user", meaning: "the client's certificate is valid but its $3 does not match the user $1$2 (or pg_ident.conf has no mapping for it)", causes: []string{cause.AuthzDenied}, rules: []string{}, fix: "issue the client a certificate whose CN is the database user, or map it in pg_ident.conf (map= in pg_hba.conf), or connect as the user it names"},
		{source: "PostgreSQL", re: re(`could not accept SSL connection: EOF detected`), side: "printed by PostgreSQL: the client hung up during the handshake without an alert", meaning: "the client hung up during the handshake: it gave up on the server's certificate or parameters without saying so, or it is a health check", causes: []string{cause.Reset}, refine: hangUpRefine(false)},
		{source: "PostgreSQL", re: re(`could not load (server certificate|private key|root certificate|SSL certificate revocation list) file "([^"]*)"(?: or directory "[^"]*")?`), wrapper: true, side: "printed about its own configuration: by postgres at start or reload (it does not start, or keeps its old SSL settings), or by libpq (psql) about the client's sslkey", meaning: "PostgreSQL cannot load the $1 file $2 (the reason follows it)", causes: []string{cause.LoadFailed}, rules: []string{"file-missing", "file-unreadable", "file-invalid", "key-encrypted-no-password"}, fix: "fix ssl_cert_file / ssl_key_file / ssl_ca_file / ssl_crl_file in postgresql.conf (or the client's sslcert / sslkey): the path, its permissions for the postgres user, or its format (PEM); `tlscreds lint` the files"},
		{source: "PostgreSQL", re: re(`private key file "([^"]*)" (has group or world access|must be owned by the database user or root|is not a regular file|cannot be reloaded because it requires a passphrase)|could not access private key file "([^"]*)"`), side: "printed about its own key: by postgres at start or reload (it does not start), or by libpq (psql) about the client's sslkey", meaning: "PostgreSQL refuses the key file $1$3: $2", causes: []string{cause.LoadFailed}, rules: []string{"key-permissions", "file-unreadable"}, fix: "make the key owned by the user that runs the program (postgres for the server) at mode 0600, or owned by root at 0640 with the group of that user (chown postgres: KEY; chmod 0600 KEY), then start or reload"},

		// Browsers: Firefox's (NSS, mozilla::pkix) and Chrome's codes.
		{source: "browser", re: re(`\b(` + strings.Join(browserCodeNames(), "|") + `)\b`), side: sideClientSees, refine: browserCodeRefine},
		// NSS programs print an error's description, often without its
		// name (selfserv: "error -8179:" and the text on the next line;
		// 389-ds: "error -8179 (TEXT)"): the descriptions of libssl3 and
		// libnssutil3 3.87, read as the names they stand for.
		{source: "NSS", re: re(`(` + strings.Join(nssDescriptionTexts(), "|") + `)`), side: sideClientSees, refine: nssDescriptionRefine},
	}
}

// x509VErr is one of OpenSSL's verify errors (crypto/x509/x509_txt.c):
// its number, its text, and the causes as explain reads that text.
type x509VErr struct {
	num    string
	text   string
	causes []string
}

var x509VErrs = map[string]x509VErr{
	"UNABLE_TO_GET_ISSUER_CERT": {"2", "unable to get issuer certificate", []string{cause.UnknownCA, cause.MissingIntermediate}},
	"CERT_SIGNATURE_FAILURE":    {"7", "certificate signature failure", []string{cause.CertInvalid, cause.UnknownCA}},
	"CERT_NOT_YET_VALID":        {"9", "certificate is not yet valid", []string{cause.NotYetValid}},
	"CERT_HAS_EXPIRED":          {"10", "certificate has expired", []string{cause.Expired}},
	// Measured: Node 20 against a server sending one self-signed
	// certificate the client does not trust.
	"DEPTH_ZERO_SELF_SIGNED_CERT":       {"18", "self-signed certificate", []string{cause.SelfSigned, cause.UnknownCA}},
	"SELF_SIGNED_CERT_IN_CHAIN":         {"19", "self-signed certificate in certificate chain", []string{cause.UnknownCA, cause.SelfSigned}},
	"UNABLE_TO_GET_ISSUER_CERT_LOCALLY": {"20", "unable to get local issuer certificate", []string{cause.UnknownCA, cause.MissingIntermediate}},
	// Measured: Node 20 prints it for a leaf sent alone whose issuer is
	// missing, an unsent intermediate and an unknown CA alike.
	"UNABLE_TO_VERIFY_LEAF_SIGNATURE": {"21", "unable to verify the first certificate", []string{cause.MissingIntermediate, cause.UnknownCA}},
	"CERT_REVOKED":                    {"23", "certificate revoked", []string{cause.Revoked}},
	"INVALID_CA":                      {"24", "invalid CA certificate", []string{cause.CAInvalid}},
	// Measured: Node 20 prints it for a server certificate with
	// clientAuth only, and for one whose issuer has CA:FALSE.
	"INVALID_PURPOSE":              {"26", "unsuitable certificate purpose", []string{cause.ServerEKU, cause.CAInvalid, cause.ClientCertRejected}},
	"CERT_UNTRUSTED":               {"27", "certificate not trusted", []string{cause.UnknownCA}},
	"CERT_REJECTED":                {"28", "certificate rejected", []string{cause.UnknownCA, cause.ServerEKU}},
	"HOSTNAME_MISMATCH":            {"62", "hostname mismatch", []string{cause.NameMismatch}},
	"IP_ADDRESS_MISMATCH":          {"64", "IP address mismatch", []string{cause.NameMismatch}},
	"EE_KEY_TOO_SMALL":             {"66", "EE certificate key too weak", []string{cause.Weak}},
	"CA_KEY_TOO_SMALL":             {"67", "CA certificate key too weak", []string{cause.Weak}},
	"CA_MD_TOO_WEAK":               {"68", "CA signature digest algorithm too weak", []string{cause.Weak}},
	"ERR_TLS_CERT_ALTNAME_INVALID": {"", "the host name is not among the certificate's names (Node.js)", []string{cause.NameMismatch}},
}

func x509VErrNames() []string {
	names := make([]string, 0, len(x509VErrs))
	for n := range x509VErrs {
		names = append(names, n)
	}
	return sortedLongestFirst(names)
}

func x509VErrRefine(e *Explanation, sub []string, _ string) bool {
	v, ok := x509VErrs[sub[1]]
	if !ok {
		return false
	}
	e.Meaning = v.text
	if v.num != "" {
		e.Meaning = "OpenSSL's verify error " + sub[1] + " (" + v.num + "): " + v.text
	}
	e.Causes = v.causes
	return true
}

// dotnetFlags are .NET's SslPolicyErrors and X509ChainStatusFlags names.
var dotnetFlags = map[string][]string{
	"RemoteCertificateNotAvailable": {cause.ClientCertRequired},
	"RemoteCertificateNameMismatch": {cause.NameMismatch},
	"RemoteCertificateChainErrors":  {cause.UnknownCA, cause.MissingIntermediate, cause.Expired},
	"UntrustedRoot":                 {cause.UnknownCA, cause.SelfSigned},
	"PartialChain":                  {cause.MissingIntermediate, cause.UnknownCA},
	"NotTimeValid":                  {cause.Expired, cause.NotYetValid},
	"Revoked":                       {cause.Revoked},
	"NotSignatureValid":             {cause.CertInvalid},
	"NotValidForUsage":              {cause.ServerEKU},
	"InvalidBasicConstraints":       {cause.CAInvalid},
	"HasWeakSignature":              {cause.Weak},
	"ExplicitDistrust":              {cause.UnknownCA},
	"RevocationStatusUnknown":       {cause.Revoked},
	"OfflineRevocation":             {cause.Revoked},
}

// dotnetRefine reads the flags .NET lists, in its order.
func dotnetRefine(e *Explanation, sub []string, _ string) bool {
	var causes []string
	for _, f := range strings.FieldsFunc(sub[1], func(r rune) bool { return r == ',' || r == ' ' }) {
		for _, c := range dotnetFlags[f] {
			if !slices.Contains(causes, c) {
				causes = append(causes, c)
			}
		}
	}
	if len(causes) > 0 {
		e.Causes = causes
	}
	if sub[1] == "" {
		e.Meaning = "the server's certificate failed .NET's validation (the inner exception or the validation callback's SslPolicyErrors say which check)"
	}
	return true
}

// dotnetAlertRefine reads the alert .NET names, when it names one.
func dotnetAlertRefine(e *Explanation, sub []string, text string) bool {
	if len(sub) > 1 && sub[1] != "" {
		return camelAlertRefine(e, sub, text)
	}
	e.Causes = hangUpCauses(text, false)
	return true
}

// camelAlertRefine reads an alert named in CamelCase (rustls's
// AlertDescription, .NET's TlsAlertMessage): BadCertificate is
// bad_certificate.
func camelAlertRefine(e *Explanation, sub []string, text string) bool {
	var b strings.Builder
	rs := []rune(sub[1])
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) && unicode.IsLower(rs[i-1]) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	name := strings.Replace(b.String(), "unrecognised", "unrecognized", 1)
	return alertRefine(false)(e, []string{sub[0], name}, text)
}

// rustlsCertErrors are rustls's CertificateError (and webpki's older
// Error) names.
var rustlsCertErrors = map[string][]string{
	"UnknownIssuer":                 {cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned},
	"NotValidForName":               {cause.NameMismatch},
	"CertNotValidForName":           {cause.NameMismatch},
	"Expired":                       {cause.Expired},
	"CertExpired":                   {cause.Expired},
	"NotValidYet":                   {cause.NotYetValid},
	"CertNotValidYet":               {cause.NotYetValid},
	"Revoked":                       {cause.Revoked},
	"BadSignature":                  {cause.CertInvalid},
	"UnsupportedSignatureAlgorithm": {cause.Weak},
	"UnhandledCriticalExtension":    {cause.CertInvalid},
	"BadEncoding":                   {cause.CertInvalid},
	"InvalidPurpose":                {cause.ServerEKU, cause.ClientCertRejected},
	"CaUsedAsEndEntity":             {cause.CertInvalid},
	"EndEntityUsedAsCa":             {cause.CAInvalid},
	"NameConstraintViolation":       {cause.CertInvalid},
	"UnknownRevocationStatus":       {cause.Revoked},
}

func rustlsCertRefine(e *Explanation, sub []string, _ string) bool {
	c, ok := rustlsCertErrors[sub[1]]
	if !ok {
		return false
	}
	e.Meaning = "rustls refused the peer's certificate: " + sub[1]
	e.Causes = c
	return true
}

func rustlsIncompatibleRefine(e *Explanation, sub []string, _ string) bool {
	why := sub[1] + sub[2]
	if strings.Contains(why, "Tls12") || strings.Contains(why, "Tls13") || strings.Contains(why, "Version") {
		e.Causes = []string{cause.Version, cause.NoSharedCipher}
	}
	return true
}

// browserCodes are Firefox's (NSS, mozilla::pkix) and Chrome's (net/)
// error codes, with the causes they name.
var browserCodes = map[string][]string{
	"SEC_ERROR_UNKNOWN_ISSUER":                            {cause.UnknownCA, cause.MissingIntermediate},
	"MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT":                 {cause.SelfSigned},
	"SEC_ERROR_UNTRUSTED_ISSUER":                          {cause.UnknownCA},
	"SEC_ERROR_CA_CERT_INVALID":                           {cause.CAInvalid},
	"SSL_ERROR_BAD_CERT_DOMAIN":                           {cause.NameMismatch, cause.CNOnly},
	"SEC_ERROR_EXPIRED_CERTIFICATE":                       {cause.Expired},
	"SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE":                {cause.Expired},
	"MOZILLA_PKIX_ERROR_NOT_YET_VALID_CERTIFICATE":        {cause.NotYetValid},
	"MOZILLA_PKIX_ERROR_NOT_YET_VALID_ISSUER_CERTIFICATE": {cause.NotYetValid},
	"SEC_ERROR_REVOKED_CERTIFICATE":                       {cause.Revoked},
	"SEC_ERROR_INADEQUATE_KEY_USAGE":                      {cause.ServerEKU},
	"SEC_ERROR_INADEQUATE_CERT_TYPE":                      {cause.ServerEKU},
	"MOZILLA_PKIX_ERROR_INADEQUATE_KEY_SIZE":              {cause.Weak},
	"SEC_ERROR_CERT_SIGNATURE_ALGORITHM_DISABLED":         {cause.Weak},
	"SSL_ERROR_NO_CYPHER_OVERLAP":                         {cause.NoSharedCipher, cause.Version},
	"SSL_ERROR_UNSUPPORTED_VERSION":                       {cause.Version},
	"SSL_ERROR_PROTOCOL_VERSION_ALERT":                    {cause.Version},
	"SSL_ERROR_RX_RECORD_TOO_LONG":                        {cause.NotTLS},
	"PR_END_OF_FILE_ERROR":                                {cause.Reset},
	"PR_CONNECT_RESET_ERROR":                              {cause.Reset},
	"SSL_ERROR_HANDSHAKE_FAILURE_ALERT":                   {cause.NoSharedCipher, cause.ClientCertRequired},
	"SSL_ERROR_BAD_CERT_ALERT":                            {cause.ClientCertRejected},
	"SSL_ERROR_UNKNOWN_CA_ALERT":                          {cause.ClientCertRejected},
	"SSL_ERROR_EXPIRED_CERT_ALERT":                        {cause.ClientCertRejected, cause.Expired},
	"SSL_ERROR_REVOKED_CERT_ALERT":                        {cause.Revoked, cause.ClientCertRejected},
	"SSL_ERROR_ACCESS_DENIED_ALERT":                       {cause.ClientCertRejected, cause.Revoked},
	"SSL_ERROR_UNRECOGNIZED_NAME_ALERT":                   {cause.UnrecognizedName},
	"SSL_ERROR_NO_CERTIFICATE":                            {cause.ClientCertRequired, cause.LoadFailed},
	"SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT":             {cause.ClientCertRequired},
	"ERR_CERT_AUTHORITY_INVALID":                          {cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned},
	"ERR_CERT_COMMON_NAME_INVALID":                        {cause.NameMismatch, cause.CNOnly},
	"ERR_CERT_DATE_INVALID":                               {cause.Expired, cause.NotYetValid},
	"ERR_CERT_REVOKED":                                    {cause.Revoked},
	"ERR_CERT_WEAK_SIGNATURE_ALGORITHM":                   {cause.Weak},
	"ERR_CERT_WEAK_KEY":                                   {cause.Weak},
	"ERR_CERT_INVALID":                                    {cause.CertInvalid},
	"ERR_SSL_VERSION_OR_CIPHER_MISMATCH":                  {cause.NoSharedCipher, cause.Version},
	"ERR_SSL_PROTOCOL_ERROR":                              {cause.NotTLS, cause.ClientCertRequired, cause.Version},
	"ERR_BAD_SSL_CLIENT_AUTH_CERT":                        {cause.ClientCertRejected},
	"ERR_SSL_CLIENT_AUTH_CERT_NEEDED":                     {cause.ClientCertRequired},
	"ERR_SSL_UNRECOGNIZED_NAME_ALERT":                     {cause.UnrecognizedName},
	"ERR_SSL_KEY_USAGE_INCOMPATIBLE":                      {cause.ServerEKU},
	"ERR_CONNECTION_RESET":                                {cause.Reset},
	"ERR_CONNECTION_CLOSED":                               {cause.Reset},
	"ERR_EMPTY_RESPONSE":                                  {cause.Truncated},
}

// nssDescriptions are NSS's words (PR_ErrorToString, as libssl3 and
// libnssutil3 3.87 hold them) for the codes in browserCodes, and for
// SSL_ERROR_NO_CERTIFICATE, which a server prints for a client without
// a certificate and a client for its own missing one.
var nssDescriptions = map[string]string{
	"Peer's Certificate issuer is not recognized.":                                                             "SEC_ERROR_UNKNOWN_ISSUER",
	"Peer's certificate issuer has been marked as not trusted by the user.":                                    "SEC_ERROR_UNTRUSTED_ISSUER",
	"Peer's Certificate has expired.":                                                                          "SEC_ERROR_EXPIRED_CERTIFICATE",
	"Peer's Certificate has been revoked.":                                                                     "SEC_ERROR_REVOKED_CERTIFICATE",
	"Unable to communicate securely with peer: requested domain name does not match the server's certificate.": "SSL_ERROR_BAD_CERT_DOMAIN",
	"Cannot communicate securely with peer: no common encryption algorithm(s).":                                "SSL_ERROR_NO_CYPHER_OVERLAP",
	"Peer using unsupported version of security protocol.":                                                     "SSL_ERROR_UNSUPPORTED_VERSION",
	"Peer reports incompatible or unsupported protocol version.":                                               "SSL_ERROR_PROTOCOL_VERSION_ALERT",
	"Unable to find the certificate or key necessary for authentication.":                                      "SSL_ERROR_NO_CERTIFICATE",
	"SSL received a certificate_required alert.":                                                               "SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT",
	"SSL peer cannot verify your certificate.":                                                                 "SSL_ERROR_BAD_CERT_ALERT",
	"Peer does not recognize and trust the CA that issued your certificate.":                                   "SSL_ERROR_UNKNOWN_CA_ALERT",
	"SSL peer rejected your certificate as expired.":                                                           "SSL_ERROR_EXPIRED_CERT_ALERT",
	"SSL peer was unable to negotiate an acceptable set of security parameters.":                               "SSL_ERROR_HANDSHAKE_FAILURE_ALERT",
	"SSL received a record that exceeded the maximum permissible length.":                                      "SSL_ERROR_RX_RECORD_TOO_LONG",
}

func nssDescriptionTexts() []string {
	texts := make([]string, 0, len(nssDescriptions))
	for t := range nssDescriptions {
		texts = append(texts, regexp.QuoteMeta(strings.TrimSuffix(t, ".")))
	}
	return sortedLongestFirst(texts)
}

// nssDescriptionRefine reads an NSS description as the name it stands
// for. In a server's log (NSS's selfserv) a verdict on a peer's
// certificate is about the client's (measured: selfserv 3.87 requiring
// a client certificate, round 62).
func nssDescriptionRefine(e *Explanation, sub []string, text string) bool {
	name := nssDescriptions[sub[1]+"."]
	c, ok := browserCodes[name]
	if !ok {
		return false
	}
	e.Meaning = "NSS's error " + name + " (\"" + sub[1] + "\")"
	e.Causes = slices.Clone(c)
	if printedBy(text) != "server" {
		return true
	}
	switch name {
	case "SEC_ERROR_UNKNOWN_ISSUER", "SEC_ERROR_UNTRUSTED_ISSUER":
		e.Side = sideServerSees
		e.Meaning += ": the server does not trust the issuer of the client's certificate"
		e.Causes = []string{cause.ClientCertRejected}
	case "SEC_ERROR_EXPIRED_CERTIFICATE":
		e.Side = sideServerSees
		e.Meaning += ": the client's certificate expired"
		e.Causes = []string{cause.Expired, cause.ClientCertRejected}
	case "SEC_ERROR_REVOKED_CERTIFICATE":
		e.Side = sideServerSees
		e.Meaning += ": the client's certificate is revoked"
		e.Causes = []string{cause.Revoked, cause.ClientCertRejected}
	case "SSL_ERROR_NO_CERTIFICATE":
		e.Side = sideServerSees
		e.Meaning += ": the client sent no certificate, and the server requires one"
	}
	return true
}

func browserCodeNames() []string {
	names := make([]string, 0, len(browserCodes))
	for n := range browserCodes {
		names = append(names, n)
	}
	return sortedLongestFirst(names)
}

func browserCodeRefine(e *Explanation, sub []string, _ string) bool {
	c, ok := browserCodes[sub[1]]
	if !ok {
		return false
	}
	who := "Firefox's (NSS)"
	if strings.HasPrefix(sub[1], "ERR_") {
		who = "Chrome's"
	}
	e.Meaning = who + " error " + sub[1]
	e.Causes = c
	return true
}

// sortedLongestFirst orders alternatives so that a regexp prefers the
// longest name (SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE before a prefix).
func sortedLongestFirst(names []string) []string {
	slices.SortFunc(names, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	return names
}

// ldapDebugFix is how a libldap user learns the reason libldap keeps to
// its debug output.
const ldapDebugFix = "run the command again with -d 1: libldap then prints the reason (\"TLS: peer cert untrusted or revoked (0x42)\", \"TLS: hostname (...) does not match common name in certificate (...)\", \"errno: 111 (Connection refused)\"); or `tlscreds diagnose ldaps://HOST:PORT --ca CA-FILE` (ldap://HOST:PORT --starttls ldap for StartTLS)"

// ldapServerDownRefine reads libldap's LDAP_SERVER_DOWN by the call that
// got it. ldapsearch -x connects in ldap_sasl_bind: a refused connection
// and every TLS failure on ldaps:// (the server's certificate refused, no
// common version, a client certificate the server wants) read the same.
// ldap_result got it after the request was sent: the server hung up on a
// plain request, as an ldaps:// port does; ldap_start_tls, when StartTLS
// was sent to a port that speaks TLS directly. Measured with slapd 2.5.
func ldapServerDownRefine(e *Explanation, sub []string, _ string) bool {
	e.Fix = ldapDebugFix
	switch {
	case sub[1] == "ldap_result":
		e.Meaning = "the server closed the connection after libldap sent its request, without answering: a plain ldap:// request to a port that speaks TLS (ldaps://), or a server that dropped the client"
		e.Causes = []string{cause.PlaintextToTLS, cause.Reset}
		e.Fix = "use ldaps:// for a port that speaks TLS from the start (636), ldap:// with -ZZ for StartTLS (389); " + ldapDebugFix
	case sub[1] == "ldap_start_tls":
		e.Meaning = "the server closed the connection on the StartTLS request: the port speaks TLS from the start (ldaps://), or the server dropped the client"
		e.Causes = []string{cause.PlaintextToTLS, cause.Reset}
		e.Fix = "use ldaps://HOST:PORT (without -ZZ) for a port that speaks TLS from the start, or the server's StartTLS port (389); " + ldapDebugFix
	default:
		e.Meaning = "libldap could not set up the connection (LDAP_SERVER_DOWN): it says this alike for a refused or unreachable server and for every TLS failure on ldaps://, most often the server's certificate not trusted by LDAPTLS_CACERT / TLS_CACERT or not naming the host"
		e.Causes = []string{cause.UnknownCA, cause.NameMismatch, cause.Refused, cause.MissingIntermediate, cause.Expired, cause.ClientCertRequired, cause.Version}
		e.TellApart = "the same ldapsearch with -d 1 (libldap prints GnuTLS's reason), or tlscreds diagnose ldaps://HOST:PORT --ca CA-FILE  (it names the cause from what the server does)"
	}
	return true
}

// gnutlsStatus are GnuTLS's certificate verification status bits
// (gnutls_certificate_status_t), which libldap prints in hex.
var gnutlsStatus = []struct {
	bit    uint64
	words  string
	guile  string // the flag's name in Guile's (gnutls) bindings
	causes []string
}{
	{1 << 5, "revoked", "revoked", []string{cause.Revoked}},
	{1 << 10, "expired", "expired", []string{cause.Expired}},
	{1 << 9, "not yet activated", "not-activated", []string{cause.NotYetValid}},
	{1 << 6, "issuer not found", "signer-not-found", []string{cause.UnknownCA, cause.MissingIntermediate}},
	{1 << 7, "issuer is not a CA", "signer-not-ca", []string{cause.CAInvalid}},
	{1 << 8, "insecure algorithm", "insecure-algorithm", []string{cause.Weak}},
	{1 << 11, "signature failure", "signature-failure", []string{cause.CertInvalid}},
	{1 << 14, "unexpected owner", "unexpected-owner", []string{cause.NameMismatch}},
	{1 << 16, "signer constraints failure", "signer-constraints-failure", []string{cause.CAInvalid}},
	{1 << 18, "purpose mismatch", "purpose-mismatch", []string{cause.ServerEKU}},
}

// gnutlsStatusRefine decodes the status libldap prints with "peer cert
// untrusted or revoked" (measured: 0x42 for an unknown issuer, 0x402 for
// an expired certificate).
func gnutlsStatusRefine(e *Explanation, sub []string, _ string) bool {
	v, err := strconv.ParseUint(strings.TrimPrefix(strings.ToLower(sub[1]), "0x"), 16, 64)
	if err != nil {
		return false
	}
	var words []string
	var causes []string
	for _, s := range gnutlsStatus {
		if v&s.bit == 0 {
			continue
		}
		words = append(words, s.words)
		for _, c := range s.causes {
			if !slices.Contains(causes, c) {
				causes = append(causes, c)
			}
		}
	}
	if len(causes) == 0 {
		causes = []string{cause.UnknownCA}
		words = []string{"not trusted"}
	}
	e.Meaning = "GnuTLS's verification of the peer's certificate failed (status " + sub[1] + ": " + strings.Join(words, ", ") + ")"
	e.Causes = causes
	return true
}

// guileStatusRefine reads GnuTLS's status flags as Guile's web client
// prints them by their names in Guile's bindings (sub[1]:
// "signer-not-found invalid", "expired invalid"; measured, round 82).
func guileStatusRefine(e *Explanation, sub []string, _ string) bool {
	var causes []string
	for _, f := range strings.Fields(sub[1]) {
		for _, s := range gnutlsStatus {
			if s.guile != f {
				continue
			}
			for _, c := range s.causes {
				if !slices.Contains(causes, c) {
					causes = append(causes, c)
				}
			}
		}
	}
	if len(causes) == 0 {
		return false
	}
	e.Causes = causes
	return true
}
