package gnutlsprio

import "sync"

// The name tables of GnuTLS 3.7.9 (Debian 12's libgnutls30). Names are
// compared ASCII case-insensitively, as GnuTLS's c_strcasecmp does. Each list
// is in GnuTLS's priority order, measured with `gnutls-cli --list --priority`
// and `gnutls-cli -l`; the differential test in this package holds them to the
// installed library.

type suite struct{ name, kx, cipher, mac string }

// macNames are the names gnutls_mac_get_id knows and the library provides.
var macNames = []string{
	"SHA1", "SHA256", "SHA384", "SHA512", "SHA224", "UMAC-96", "UMAC-128",
	"AEAD", "MD5", "GOSTR341194", "STREEBOG-256", "STREEBOG-512",
	"AES-CMAC-128", "AES-CMAC-256", "AES-GMAC-128", "AES-GMAC-192",
	"AES-GMAC-256", "GOST28147-TC26Z-IMIT", "OMAC-MAGMA", "OMAC-KUZNYECHIK",
}

// cipherNames are the cipher names GnuTLS knows; an item naming one the
// library does not provide (missingCiphers) is accepted and does nothing.
var cipherNames = []string{
	"AES-256-CBC", "AES-192-CBC", "AES-128-CBC", "AES-128-GCM", "AES-192-GCM",
	"AES-256-GCM", "AES-128-CCM", "AES-256-CCM", "AES-128-CCM-8",
	"AES-256-CCM-8", "ARCFOUR-128", "ESTREAM-SALSA20-256", "SALSA20-256",
	"CHACHA20-32", "CHACHA20-64", "CAMELLIA-256-CBC", "CAMELLIA-192-CBC",
	"CAMELLIA-128-CBC", "CHACHA20-POLY1305", "CAMELLIA-128-GCM",
	"CAMELLIA-256-GCM", "GOST28147-TC26Z-CFB", "GOST28147-CPA-CFB",
	"GOST28147-CPB-CFB", "GOST28147-CPC-CFB", "GOST28147-CPD-CFB",
	"AES-128-CFB8", "AES-192-CFB8", "AES-256-CFB8", "AES-128-XTS",
	"AES-256-XTS", "AES-128-SIV", "AES-256-SIV", "GOST28147-TC26Z-CNT",
	"MAGMA-CTR-ACPKM", "KUZNYECHIK-CTR-ACPKM", "3DES-CBC", "DES-CBC", "RC2-40",
	"NULL", "ARCFOUR-40",
}

var missingCiphers = sync.OnceValue(func() map[string]bool { return map[string]bool{"ARCFOUR-40": true} })

// kxNames are the key exchange names; RSA-EXPORT is known but is a no-op.
var kxNames = []string{
	"ECDHE-RSA", "ECDHE-ECDSA", "RSA", "DHE-RSA", "DHE-DSS", "PSK", "RSA-PSK",
	"DHE-PSK", "ECDHE-PSK", "SRP-DSS", "SRP-RSA", "SRP", "ANON-DH",
	"ANON-ECDH", "VKO-GOST-12", "RSA-EXPORT",
}

// Protocol versions and their GnuTLS ids (gnutls_protocol_t).
const (
	vSSL3   = 1
	vTLS10  = 2
	vTLS11  = 3
	vTLS12  = 4
	vTLS13  = 5
	vDTLS09 = 200
	vDTLS10 = 201
	vDTLS12 = 202
)

var versionNames = sync.OnceValue(func() map[string]int {
	return map[string]int{
		"SSL3.0": vSSL3, "TLS1.0": vTLS10, "TLS1.1": vTLS11, "TLS1.2": vTLS12,
		"TLS1.3": vTLS13, "DTLS0.9": vDTLS09, "DTLS1.0": vDTLS10, "DTLS1.2": vDTLS12,
	}
})

var (
	protocolDefault = []int{vTLS13, vTLS12, vTLS11, vTLS10, vDTLS12, vDTLS10}
	protocolStream  = []int{vTLS13, vTLS12, vTLS11, vTLS10}
	protocolDTLSAdd = []int{vDTLS12, vDTLS10}
	protocolDgram   = []int{vDTLS12, vDTLS10, vDTLS09}
	protocolSuiteB  = []int{vTLS12}
)

// Group names for GROUP-; curveNames for CURVE- (gnutls_ecc_curve_get_id).
var groupNames = []string{
	"SECP192R1", "SECP224R1", "SECP256R1", "SECP384R1", "SECP521R1", "X25519",
	"GC256A", "GC256B", "GC256C", "GC256D", "GC512A", "GC512B", "GC512C", "X448",
	"FFDHE2048", "FFDHE3072", "FFDHE4096", "FFDHE6144", "FFDHE8192",
}

// curvelessGroups are GOST group names GROUP- takes that `gnutls-cli -l`
// does not list: they do not count as a group for TLS 1.3 (measured).
// Nor do the CryptoPro curves of CURVE-.
var curvelessGroups = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"GC256A": true, "GC256C": true, "GC256D": true, "GC512B": true, "GC512C": true,
		"CryptoPro-A": true, "CryptoPro-XchA": true,
	}
})

var curveNames = []string{
	"SECP192R1", "SECP224R1", "SECP256R1", "SECP384R1", "SECP521R1", "X25519",
	"X448", "CryptoPro-A", "CryptoPro-XchA", "TC26-256-B", "TC26-512-A",
}

// curveGroup maps a CURVE- name to the group it adds where they differ;
// the CryptoPro curves stay themselves (curveless for TLS 1.3).
var curveGroup = sync.OnceValue(func() map[string]string { return map[string]string{"TC26-256-B": "GC256B", "TC26-512-A": "GC512A"} })

var (
	groupsNormal = []string{
		"SECP256R1", "SECP384R1", "SECP521R1", "X25519", "X448",
		"FFDHE2048", "FFDHE3072", "FFDHE4096", "FFDHE6144", "FFDHE8192",
	}
	groupsDH       = []string{"FFDHE2048", "FFDHE3072", "FFDHE4096", "FFDHE6144", "FFDHE8192"}
	groupsEC       = []string{"SECP256R1", "SECP384R1", "SECP521R1", "X25519", "X448"}
	groupsGOST     = []string{"GC256A", "GC256B", "GC256C", "GC256D", "GC512A", "GC512B", "GC512C"}
	groupsSecure   = groupsNormal
	groupsSec192   = []string{"SECP384R1", "SECP521R1", "FFDHE8192"}
	groupsSuiteB   = []string{"SECP256R1", "SECP384R1"}
	groupsSuiteB19 = []string{"SECP384R1"}
)

// Signature algorithms: the TLS semantics each can serve (semPre: TLS 1.2
// and earlier, semTLS13: TLS 1.3; 0: no TLS code point), measured one by one.
const (
	semPre   = 1
	semTLS13 = 2
)

var signSem = sync.OnceValue(func() map[string]int {
	return map[string]int{
		"RSA-SHA256": semPre | semTLS13, "RSA-SHA384": semPre | semTLS13, "RSA-SHA512": semPre | semTLS13,
		"RSA-PSS-SHA256": semPre | semTLS13, "RSA-PSS-RSAE-SHA256": semPre | semTLS13,
		"RSA-PSS-SHA384": semPre | semTLS13, "RSA-PSS-RSAE-SHA384": semPre | semTLS13,
		"RSA-PSS-SHA512": semPre | semTLS13, "RSA-PSS-RSAE-SHA512": semPre | semTLS13,
		"EdDSA-Ed25519": semPre | semTLS13, "EdDSA-Ed448": semPre | semTLS13,
		"ECDSA-SHA256": semPre, "ECDSA-SHA384": semPre, "ECDSA-SHA512": semPre,
		"ECDSA-SECP256R1-SHA256": semTLS13, "ECDSA-SECP384R1-SHA384": semTLS13,
		"ECDSA-SECP521R1-SHA512": semTLS13,
		"ECDSA-SHA3-224":         0, "ECDSA-SHA3-256": 0, "ECDSA-SHA3-384": 0, "ECDSA-SHA3-512": 0,
		"RSA-SHA3-224": 0, "RSA-SHA3-256": 0, "RSA-SHA3-384": 0, "RSA-SHA3-512": 0,
		"DSA-SHA3-224": 0, "DSA-SHA3-256": 0, "DSA-SHA3-384": 0, "DSA-SHA3-512": 0,
		"RSA-RAW": 0, "RSA-SHA1": semPre | semTLS13, "RSA-SHA224": 0, "RSA-RMD160": 0,
		"DSA-SHA1": semPre, "DSA-SHA224": 0, "DSA-SHA256": 0, "RSA-MD5": 0, "RSA-MD2": 0,
		"ECDSA-SHA1": semPre | semTLS13, "ECDSA-SHA224": 0,
		"GOSTR341012-512": semPre, "GOSTR341012-256": semPre, "GOSTR341001": 0,
		"DSA-SHA384": 0, "DSA-SHA512": 0,
	}
})

var (
	signDefault = []string{
		"RSA-SHA256", "RSA-PSS-SHA256", "RSA-PSS-RSAE-SHA256", "ECDSA-SHA256",
		"ECDSA-SECP256R1-SHA256", "EdDSA-Ed25519", "RSA-SHA384", "RSA-PSS-SHA384",
		"RSA-PSS-RSAE-SHA384", "ECDSA-SHA384", "ECDSA-SECP384R1-SHA384",
		"EdDSA-Ed448", "RSA-SHA512", "RSA-PSS-SHA512", "RSA-PSS-RSAE-SHA512",
		"ECDSA-SHA512", "ECDSA-SECP521R1-SHA512", "RSA-SHA1", "ECDSA-SHA1",
	}
	signSecure128 = signDefault[:17]
	signSecure192 = []string{
		"RSA-SHA384", "RSA-PSS-SHA384", "RSA-PSS-RSAE-SHA384", "ECDSA-SHA384",
		"ECDSA-SECP384R1-SHA384", "EdDSA-Ed448", "RSA-SHA512", "RSA-PSS-SHA512",
		"RSA-PSS-RSAE-SHA512", "ECDSA-SHA512", "ECDSA-SECP521R1-SHA512",
	}
	signSuiteB128 = []string{"ECDSA-SHA256", "ECDSA-SECP256R1-SHA256", "ECDSA-SHA384", "ECDSA-SECP384R1-SHA384"}
	signSuiteB192 = []string{"ECDSA-SHA384", "ECDSA-SECP384R1-SHA384"}
	signGOST      = []string{"GOSTR341012-256", "GOSTR341012-512"}
)

var (
	cipherNormal = []string{
		"AES-256-GCM", "CHACHA20-POLY1305", "AES-256-CCM", "AES-256-CBC",
		"AES-128-GCM", "AES-128-CCM", "AES-128-CBC",
	}
	cipherSecure128 = []string{
		"AES-256-GCM", "CHACHA20-POLY1305", "AES-256-CBC", "AES-256-CCM",
		"AES-128-GCM", "AES-128-CBC", "AES-128-CCM",
	}
	cipherSecure192   = []string{"AES-256-GCM", "CHACHA20-POLY1305", "AES-256-CBC", "AES-256-CCM"}
	cipherPerformance = []string{
		"AES-128-GCM", "AES-256-GCM", "CHACHA20-POLY1305", "AES-128-CCM",
		"AES-256-CCM", "AES-128-CBC", "AES-256-CBC",
	}
	cipherSuiteB128 = []string{"AES-256-GCM", "AES-128-GCM"}
	cipherSuiteB192 = []string{"AES-256-GCM"}
	cipherGOST      = []string{"GOST28147-TC26Z-CNT"}

	macNormal    = []string{"SHA1", "AEAD"}
	macSecure192 = []string{"AEAD"}
	macGOST      = []string{"GOST28147-TC26Z-IMIT"}

	kxSecure      = []string{"ECDHE-ECDSA", "ECDHE-RSA", "RSA", "DHE-RSA"}
	kxPFS         = []string{"ECDHE-ECDSA", "ECDHE-RSA", "DHE-RSA"}
	kxPerformance = []string{"RSA", "ECDHE-ECDSA", "ECDHE-RSA", "DHE-RSA"}
	kxSuiteB      = []string{"ECDHE-ECDSA"}
	kxGOST        = []string{"VKO-GOST-12"}
)

// level is a priority keyword (check_level's pgroups).
type level struct {
	name, alias                string
	proto                      []int
	cipher, mac, kx, sign, grp []string
}

var levels = []level{
	{name: "NORMAL", cipher: cipherNormal, mac: macNormal, kx: kxSecure, sign: signDefault, grp: groupsNormal},
	{name: "PFS", cipher: cipherNormal, mac: macNormal, kx: kxPFS, sign: signDefault, grp: groupsNormal},
	{name: "SECURE128", alias: "SECURE", cipher: cipherSecure128, mac: macNormal, kx: kxSecure, sign: signSecure128, grp: groupsSecure},
	{name: "SECURE192", alias: "SECURE256", cipher: cipherSecure192, mac: macSecure192, kx: kxSecure, sign: signSecure192, grp: groupsSec192},
	{name: "SUITEB128", proto: protocolSuiteB, cipher: cipherSuiteB128, mac: macSecure192, kx: kxSuiteB, sign: signSuiteB128, grp: groupsSuiteB},
	{name: "SUITEB192", proto: protocolSuiteB, cipher: cipherSuiteB192, mac: macSecure192, kx: kxSuiteB, sign: signSuiteB192, grp: groupsSuiteB19},
	{name: "LEGACY", cipher: cipherNormal, mac: macNormal, kx: kxSecure, sign: signDefault, grp: groupsNormal},
	{name: "PERFORMANCE", cipher: cipherPerformance, mac: macNormal, kx: kxPerformance, sign: signDefault, grp: groupsNormal},
}

// options are the %-flags (priority_options.gperf), matched exactly
// (case-sensitive).
var options = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"ALLOW_SMALL_RECORDS": true, "COMPAT": true, "DEBUG_ALLOW_KEY_USAGE_VIOLATIONS": true,
		"DISABLE_SAFE_RENEGOTIATION": true, "DISABLE_TLS13_COMPAT_MODE": true,
		"DISABLE_WILDCARDS": true, "DUMBFW": true, "FALLBACK_SCSV": true, "FORCE_ETM": true,
		"LATEST_RECORD_VERSION": true, "NEW_PADDING": true, "NO_ETM": true,
		"NO_EXTENSIONS": true, "NO_SESSION_HASH": true, "NO_TICKETS": true,
		"NO_TICKETS_TLS12": true, "PARTIAL_RENEGOTIATION": true, "PROFILE_FUTURE": true,
		"PROFILE_HIGH": true, "PROFILE_LEGACY": true, "PROFILE_LOW": true,
		"PROFILE_MEDIUM": true, "PROFILE_SUITEB128": true, "PROFILE_SUITEB192": true,
		"PROFILE_ULTRA": true, "PROFILE_VERY_WEAK": true, "SAFE_RENEGOTIATION": true,
		"SERVER_PRECEDENCE": true, "SSL3_RECORD_VERSION": true,
		"STATELESS_COMPRESSION": true, "UNSAFE_RENEGOTIATION": true,
		"VERIFY_ALLOW_BROKEN": true, "VERIFY_ALLOW_SIGN_RSA_MD5": true,
		"VERIFY_ALLOW_SIGN_WITH_SHA1": true, "VERIFY_ALLOW_X509_V1_CA_CRT": true,
		"VERIFY_DISABLE_CRL_CHECKS": true,
	}
})

// ctypeNames are the certificate types of CTYPE-; CTYPE-CLI- and CTYPE-SRV-
// know all but OPENPGP.
var ctypeNames = []string{"X.509", "X509", "RAWPK", "OPENPGP"}
