package diagnose

import (
	"errors"
	"net"
	"reflect"
	"strings"
)

// Alert is a TLS alert (RFC 8446 section 6; RFC 5246 section 7.2 for the
// ones TLS 1.3 dropped).
type Alert struct {
	Number uint8  `json:"number"`
	Name   string `json:"name"` // the RFC's name, e.g. "bad_certificate"
	// Meaning says what a peer that sends it usually means.
	Meaning string `json:"meaning"`
	// GoText is the text of crypto/tls's error ("remote error: tls:
	// <GoText>"); GnuTLSText is gnutls_alert_get_strname's description.
	GoText     string `json:"-"`
	GnuTLSText string `json:"-"`
}

var alerts = []Alert{
	{0, "close_notify", "the sender is closing the connection cleanly", "close notify", "Close notify"},
	{10, "unexpected_message", "a message arrived out of order (often plain text or a broken middlebox)", "unexpected message", "Unexpected message"},
	{20, "bad_record_mac", "a record failed its integrity check (corruption, or a middlebox rewriting traffic)", "bad record MAC", "Bad record MAC"},
	{21, "decryption_failed", "a record could not be decrypted (TLS 1.0 only)", "decryption failed", "Decryption failed"},
	{22, "record_overflow", "a record was too long", "record overflow", "Record overflow"},
	{30, "decompression_failure", "decompression failed (TLS 1.2 and earlier)", "decompression failure", "Decompression failed"},
	{40, "handshake_failure", "the sender found no acceptable parameters: no shared cipher suite or group, or (TLS 1.2) a required client certificate is missing", "handshake failure", "Handshake failed"},
	{41, "no_certificate", "no certificate (SSL 3.0 only)", "", "No certificate (SSL 3.0)"},
	{42, "bad_certificate", "the sender refused the peer's certificate (Go clients send it for every server-certificate failure)", "bad certificate", "Certificate is bad"},
	{43, "unsupported_certificate", "the certificate is of an unsupported type or purpose (e.g. its extendedKeyUsage)", "unsupported certificate", "Certificate is not supported"},
	{44, "certificate_revoked", "the certificate is listed in the sender's CRL", "revoked certificate", "Certificate was revoked"},
	{45, "certificate_expired", "the certificate has expired or is not valid yet by the sender's clock", "expired certificate", "Certificate is expired"},
	{46, "certificate_unknown", "the certificate was refused for an unspecified reason", "unknown certificate", "Unknown certificate"},
	{47, "illegal_parameter", "a handshake field was out of range or inconsistent", "illegal parameter", "Illegal parameter"},
	{48, "unknown_ca", "the certificate's issuer is not a CA the sender trusts", "unknown certificate authority", "CA is unknown"},
	{49, "access_denied", "the certificate is valid but the sender's access control refused it", "access denied", "Access was denied"},
	{50, "decode_error", "a message could not be parsed", "error decoding message", "Decode error"},
	{51, "decrypt_error", "a signature or key-exchange check failed (a key that does not match its certificate, or a Finished mismatch)", "error decrypting message", "Decrypt error"},
	{60, "export_restriction", "export restriction (obsolete)", "export restriction", "Export restriction"},
	{70, "protocol_version", "the sender does not support the TLS version offered", "protocol version not supported", "Error in protocol version"},
	{71, "insufficient_security", "the sender requires stronger ciphers than the peer offered", "insufficient security level", "Insufficient security"},
	{80, "internal_error", "the sender failed internally (read its log)", "internal error", "Internal error"},
	{86, "inappropriate_fallback", "a downgrade retry was detected", "inappropriate fallback", "Inappropriate fallback"},
	{90, "user_canceled", "the sender's user or application canceled the handshake", "user canceled", "User canceled"},
	{100, "no_renegotiation", "the sender refuses renegotiation", "no renegotiation", "No renegotiation is allowed"},
	{109, "missing_extension", "a required extension is missing", "missing extension", "An extension was expected but was not seen"},
	{110, "unsupported_extension", "an extension was sent that the sender did not offer", "unsupported extension", "An unsupported extension was sent"},
	{111, "certificate_unobtainable", "a certificate could not be obtained (obsolete)", "certificate unobtainable", "Could not retrieve the specified certificate"},
	{112, "unrecognized_name", "the sender has no certificate for the name in SNI", "unrecognized name", "The server name sent was not recognized"},
	{113, "bad_certificate_status_response", "the OCSP response was invalid", "bad certificate status response", "The OCSP response is invalid"},
	{114, "bad_certificate_hash_value", "bad certificate hash value (obsolete)", "bad certificate hash value", "Bad certificate hash value"},
	{115, "unknown_psk_identity", "the PSK identity is unknown", "unknown PSK identity", "The SRP/PSK username is missing or not known"},
	{116, "certificate_required", "the sender requires a client certificate and none was sent (TLS 1.3)", "certificate required", "Certificate is required"},
	{120, "no_application_protocol", "no ALPN protocol in common", "no application protocol", "No supported application protocol could be negotiated"},
	{121, "encrypted_client_hello_required", "the sender requires Encrypted Client Hello", "encrypted client hello required", ""},
}

// AlertByNumber returns the alert with number n.
func AlertByNumber(n uint8) (Alert, bool) {
	for _, a := range alerts {
		if a.Number == n {
			return a, true
		}
	}
	return Alert{}, false
}

// AlertByName finds an alert by any spelling programs print: the RFC name
// ("unknown_ca"), Go's text ("unknown certificate authority"), OpenSSL's
// ("unknown ca", "certificate required") or GnuTLS's ("CA is unknown").
func AlertByName(name string) (Alert, bool) {
	n := normAlert(name)
	for _, a := range alerts {
		for _, s := range []string{a.Name, a.GoText, a.GnuTLSText} {
			if s != "" && normAlert(s) == n {
				return a, true
			}
		}
	}
	return Alert{}, false
}

func normAlert(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer("_", " ", "-", " ").Replace(s)
}

// alertOf extracts the alert a peer sent from a crypto/tls error: a
// *net.OpError with Op "remote error" wrapping crypto/tls's unexported
// alert type (Go crypto/tls conn.go, readRecordOrCCS; tls.AlertError is
// for QUIC only).
func alertOf(err error) (Alert, bool) {
	var oe *net.OpError
	if !errors.As(err, &oe) || oe.Op != "remote error" || oe.Err == nil {
		return Alert{}, false
	}
	if v := reflect.ValueOf(oe.Err); v.Kind() == reflect.Uint8 {
		if a, ok := AlertByNumber(uint8(v.Uint())); ok {
			return a, true
		}
		return Alert{Number: uint8(v.Uint()), Name: "unknown", Meaning: "an alert number no RFC assigns"}, true
	}
	return AlertByName(strings.TrimPrefix(oe.Err.Error(), "tls: "))
}
