package privkey

import (
	"strings"
	"testing"
)

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in   string
		want Format
	}{
		{"pkcs8", PKCS8},
		{"pkcs1", PKCS1},
		{"sec1", SEC1},
		{"encrypted-pkcs8", EncryptedPKCS8},
		{"legacy-pem", LegacyPEM},
		{"  SEC1 ", SEC1},
		{"Encrypted-PKCS8", EncryptedPKCS8},
	}
	for _, tt := range tests {
		got, err := ParseFormat(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "der", "pkcs12", "PRIVATE KEY", "pkcs8x"} {
		got, err := ParseFormat(bad)
		if err == nil || got != "" {
			t.Errorf("ParseFormat(%q) = %q, %v; want an error", bad, got, err)
			continue
		}
		if !strings.Contains(err.Error(), "want one of pkcs8, pkcs1, sec1, encrypted-pkcs8, legacy-pem") {
			t.Errorf("ParseFormat(%q) error %q does not list the formats", bad, err)
		}
	}
}

func TestFormatEncrypted(t *testing.T) {
	for _, f := range formats {
		want := f == EncryptedPKCS8 || f == LegacyPEM
		if f.Encrypted() != want {
			t.Errorf("%s.Encrypted() = %v", f, !want)
		}
	}
}
