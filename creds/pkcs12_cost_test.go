package creds_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/fixtures"
)

// TestPKCS12IterationCap: every iteration count of a PKCS#12 file is
// checked against the measured cap before anything is derived, with any
// password or none. The files' MACs are random, so a reader that derived
// would answer "wrong password" (after minutes) instead of ErrP12Cost.
func TestPKCS12IterationCap(t *testing.T) {
	const capIt = creds.MaxP12Iterations
	tests := []struct {
		name     string
		mac, enc int64
		scheme   fixtures.P12Scheme
		want     string // "" means the cost check passes (and the MAC fails)
	}{
		{"mac over", capIt + 1, 2048, fixtures.P12PBES2, "MAC iteration count 10485760 is above the cap of 10485759"},
		{"mac 2^31-1", 1<<31 - 1, 2048, fixtures.P12PBES2, "MAC iteration count 2147483647"},
		{"mac 2^63-1", 1<<63 - 1, 2048, fixtures.P12PBES2, "MAC iteration count 9223372036854775807"},
		{"mac zero", 0, 2048, fixtures.P12PBES2, "MAC iteration count is 0"},
		{"mac negative", -5, 2048, fixtures.P12PBES2, "MAC iteration count is negative"},
		{"pbkdf2 over", 2048, capIt + 1, fixtures.P12PBES2, "PBKDF2 iteration count 10485760"},
		{"pbkdf2 2^31-1", 2048, 1<<31 - 1, fixtures.P12PBES2, "PBKDF2 iteration count 2147483647"},
		{"pbe over", 2048, capIt + 1, fixtures.P12PBE3DES, "PBE iteration count 10485760"},
		{"at the cap", 2, 2, fixtures.P12PBES2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := fixtures.CostlyPKCS12(tt.mac, tt.enc, tt.scheme)
			for _, pw := range []string{"", "secret"} {
				_, _, err := creds.DecodePKCS12(data, pw)
				if tt.want == "" {
					if errors.Is(err, creds.ErrP12Cost) {
						t.Errorf("password %q: %v, want the cost check to pass", pw, err)
					}
					continue
				}
				if !errors.Is(err, creds.ErrP12Cost) || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("password %q: err = %v, want ErrP12Cost with %q", pw, err, tt.want)
				}
			}
		})
	}
}
