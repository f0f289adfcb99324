package lint

// Rules over a whole manifest. Run never reports them (they have no
// per-object check); [CheckManifest] does, from the endpoints' point of
// view.
var (
	ruleManifestClientUntrusted = register(&Rule{
		ID: "manifest-client-untrusted-by-server", Severity: Error, Subject: SubjectObject,
		Summary:    "a client endpoint's certificate would be refused by the server endpoint it talks to (CA, pins, authz, CRL or no certificate)",
		Citation:   "RFC 8446 4.4.2.4; Go crypto/tls RequireAndVerifyClientCert; QEMU tlssession.c check_certificate",
		QEMU:       "The certificate hasn't got a known issuer",
		Fix:        "issue the client's certificate from the CA in the server object's CA file (or add its CA there), or fix the server endpoint's pins or authz rules",
		reportedBy: "CheckManifest",
	})
	ruleManifestServerUntrusted = register(&Rule{
		ID: "manifest-server-untrusted-by-client", Severity: Error, Subject: SubjectObject,
		Summary:    "a client endpoint would refuse the certificate of the server endpoint it talks to (CA or pins)",
		Citation:   "RFC 5280 6.1; Go crypto/x509 Verify; QEMU tlssession.c check_certificate",
		QEMU:       "The certificate hasn't got a known issuer",
		Fix:        "put the CA that issued the server's certificate in the client object's CA file, or fix the client endpoint's pins",
		reportedBy: "CheckManifest",
	})
	ruleManifestSNI = register(&Rule{
		ID: "manifest-sni-not-covered", Severity: Error, Subject: SubjectObject,
		Summary:    "an explicit SNI name of a server endpoint is not covered by the certificate it selects",
		Citation:   "RFC 6066 3; RFC 6125 6.4; Go crypto/x509 VerifyHostname",
		Fix:        "reissue the object's certificate with the name as a DNS SAN, or move the name to the object whose certificate covers it",
		reportedBy: "CheckManifest",
	})
	ruleManifestKeyReused = register(&Rule{
		ID: "manifest-key-reused", Severity: Warning, Subject: SubjectObject,
		Summary:    "two objects hold the same private key in different files",
		Citation:   "NIST SP 800-57 Part 1 5.2 (a key serves one purpose); RFC 8813",
		Fix:        "generate a new key for one of them (tlscreds gen cert makes a fresh key per certificate)",
		reportedBy: "CheckManifest",
	})
	ruleManifestDirBoth = register(&Rule{
		ID: "manifest-dir-both-endpoints", Severity: Info, Subject: SubjectObject,
		Summary:    "one directory serves a server object and a client object",
		Citation:   "QEMU docs/system/tls.rst (server-*.pem and client-*.pem in one directory); libvirt qemu.conf default_tls_x509_cert_dir",
		Fix:        "fine for migration (libvirt does it); otherwise give each role its own directory so that a rotation or a leak of one does not touch the other",
		reportedBy: "CheckManifest",
	})
	ruleManifestAuthz = register(&Rule{
		ID: "manifest-authz-matches-nothing", Severity: Warning, Subject: SubjectObject,
		Summary:    "an authz allow rule of a server endpoint matches none of the client DNs the manifest knows",
		Citation:   "QEMU authz/list.c; GnuTLS gnutls_x509_crt_get_dn (the DN is in certificate order, not RFC 4514)",
		QEMU:       "TLS x509 authz check for %s is denied",
		Fix:        "copy the client's DN as `tlscreds inspect` prints it (QEMU's form: attributes in certificate order)",
		reportedBy: "CheckManifest",
	})
	ruleManifestPin = register(&Rule{
		ID: "manifest-pin-matches-nothing", Severity: Warning, Subject: SubjectObject,
		Summary:    "a pin of an endpoint matches none of the peer certificates the manifest knows",
		Citation:   "RFC 7469 2.4 (pin-sha256 is over the SPKI); OpenSSL x509 -fingerprint",
		Fix:        "copy the pin from `tlscreds fingerprint` of the peer's certificate; a pin for a certificate not yet deployed is fine during a rotation",
		reportedBy: "CheckManifest",
	})
	ruleManifestHost = register(&Rule{
		ID: "manifest-host-not-covered", Severity: Error, Subject: SubjectObject,
		Summary:    "a name clients use for a server endpoint is not covered by the certificate SNI selects for it",
		Citation:   "RFC 6125 6.4; GnuTLS check_hostname2; Go crypto/x509 VerifyHostname",
		QEMU:       "Certificate does not match the hostname %s",
		Fix:        "reissue the certificate with the name (DNS SAN) or address (IP SAN), or add an object that covers it to the endpoint",
		reportedBy: "CheckManifest",
	})
)
