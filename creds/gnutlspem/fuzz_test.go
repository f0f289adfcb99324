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
		if b, err := Key(data); err == nil {
			checkKeyPlace(t, data, b)
		}
		_, _ = Decode("CERTIFICATE", data)
		_, _ = CutNUL(data)
		_ = Notes(data, nil)
	})
}

// FuzzDER: the DER checks and the lenient repair never panic, and a
// repair that succeeds keeps the certificate's outer structure readable
// by the same functions.
func FuzzDER(f *testing.F) {
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x01})
	f.Add([]byte{0x30, 0x0c, 0x30, 0x06, 0xa0, 0x03, 0x02, 0x01, 0x04, 0x02, 0x00, 0x30, 0x00, 0x03, 0x00})
	f.Add([]byte{0x30, 0x84, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, der []byte) {
		_ = CheckCert(der)
		_ = CheckKey(der)
		_ = TBS(der)
		if fixed, _, ok := RepairCert(der); ok {
			_ = CheckCert(fixed)
			if TBS(fixed) == nil {
				t.Errorf("repaired %x to %x, which has no TBSCertificate", der, fixed)
			}
		}
	})
}
