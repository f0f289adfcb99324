package privkey

import (
	"fmt"
	"strings"
)

// Format names a PEM private-key encoding.
type Format string

// The supported formats. The comment after each gives the PEM block type.
const (
	PKCS8          Format = "pkcs8"           // "PRIVATE KEY"
	PKCS1          Format = "pkcs1"           // "RSA PRIVATE KEY" (RSA only)
	SEC1           Format = "sec1"            // "EC PRIVATE KEY" (ECDSA only)
	EncryptedPKCS8 Format = "encrypted-pkcs8" // "ENCRYPTED PRIVATE KEY", PBES2: PBKDF2-HMAC-SHA256 + AES-256-CBC
	LegacyPEM      Format = "legacy-pem"      // PKCS#1/SEC1 body with Proc-Type/DEK-Info AES-256-CBC (deprecated, for tests of old files)
)

// formats lists every Format in the order used by messages.
var formats = []Format{PKCS8, PKCS1, SEC1, EncryptedPKCS8, LegacyPEM}

// PEM block types.
const (
	typePKCS8          = "PRIVATE KEY"
	typePKCS1          = "RSA PRIVATE KEY"
	typeSEC1           = "EC PRIVATE KEY"
	typeEncryptedPKCS8 = "ENCRYPTED PRIVATE KEY"
)

// ParseFormat returns the Format named s, ignoring case and surrounding
// space. The error lists the valid names.
func ParseFormat(s string) (Format, error) {
	want := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, f := range formats {
		if f == want {
			return f, nil
		}
	}
	return "", fmt.Errorf("privkey: unknown key format %q (want one of %s)", s, formatList())
}

func formatList() string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// Encrypted reports whether f is one of the password-protected formats.
func (f Format) Encrypted() bool { return f == EncryptedPKCS8 || f == LegacyPEM }
