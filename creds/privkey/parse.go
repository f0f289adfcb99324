package privkey

import (
	"bytes"
	"crypto"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tlscreds/tlscreds/creds/gnutlspem"
)

// Parse reads the first private-key PEM block in data. password may be nil for plain keys.
//
// Blocks before the key (a certificate, "EC PARAMETERS") are skipped; their
// types are named in the ErrNoKey error when no key follows. A password given
// for a plain key is ignored. Given no password, an encrypted PKCS#8 key is
// tried with the empty one, as GnuTLS does (so QEMU loads such a key
// without passwordid=; Info.EmptyPassword is then set); other encrypted
// keys then fail with [ErrPasswordRequired].
//
// Errors match one of [ErrNoKey], [ErrPasswordRequired],
// [ErrIncorrectPassword], [ErrUnsupported] or [ErrMalformed]. On error, Info
// holds what was learnt before the failure (Format, Encrypted, Cipher, and
// Algorithm for a key that cannot sign).
//
// Parse is safe for concurrent use.
func Parse(data []byte, password []byte) (crypto.Signer, Info, error) {
	b, err := findKeyBlock(data)
	if err != nil {
		return nil, Info{}, err
	}
	kb, err := examine(b)
	if err != nil {
		return nil, kb.info, err
	}
	raw, err := kb.decode(password)
	if err != nil {
		return nil, kb.info, err
	}
	describeInto(&kb.info, raw)
	key, err := signer(raw)
	if err != nil {
		return nil, kb.info, err
	}
	return key, kb.info, nil
}

// Inspect reports the format/encryption of the first private key block without needing the password (Algorithm/Bits may be empty when encrypted).
//
// Inspect returns the errors Parse would, except that it never decrypts and
// so never returns [ErrPasswordRequired] or [ErrIncorrectPassword]. An
// encrypted key with an unsupported scheme (PBES1 PBE-SHA1-2DES, scrypt) is reported with
// Info.Cipher set and an [ErrUnsupported] error.
//
// Inspect is safe for concurrent use.
func Inspect(data []byte) (Info, error) {
	b, err := findKeyBlock(data)
	if err != nil {
		return Info{}, err
	}
	kb, err := examine(b)
	if err != nil || kb.info.Encrypted {
		return kb.info, err
	}
	raw, err := kb.decode(nil)
	if err != nil {
		return kb.info, err
	}
	describeInto(&kb.info, raw)
	_, err = signer(raw)
	return kb.info, err
}

// keyBlock is a private-key PEM block whose format is known.
type keyBlock struct {
	block *pem.Block
	info  Info
	enc   decrypter // for EncryptedPKCS8
	inner Format    // for LegacyPEM: the encoding of the decrypted body
}

// examine identifies the format and encryption of a private-key block. The
// returned keyBlock is never nil; on error its info is partly filled.
func examine(b *pem.Block) (*keyBlock, error) {
	kb := &keyBlock{block: b}
	if b.Type == typeEncryptedPKCS8 {
		kb.info = Info{Format: EncryptedPKCS8, Encrypted: true}
		k, desc, err := parseEncrypted(b.Bytes)
		kb.info.Cipher = desc
		kb.enc = k
		return kb, err
	}

	var plain Format
	switch b.Type {
	case typePKCS8:
		plain = PKCS8
	case typePKCS1:
		plain = PKCS1
	case typeSEC1:
		plain = SEC1
	case "OPENSSH PRIVATE KEY":
		return kb, newError(ErrUnsupported, "OpenSSH private keys are not supported; convert a copy with `ssh-keygen -p -m PKCS8 -f KEY`")
	case "DSA PRIVATE KEY":
		return kb, newError(ErrUnsupported, "DSA keys are not supported; use RSA, ECDSA (P-256, P-384, P-521) or Ed25519")
	default:
		return kb, newError(ErrUnsupported, fmt.Sprintf("PEM block type %q is not a supported private key", clean(b.Type, 40)))
	}

	mode, encrypted, err := legacyCipher(b)
	if encrypted {
		kb.info = Info{Format: LegacyPEM, Encrypted: true}
		if mode != "" {
			kb.info.Cipher = "DEK-Info " + mode
		}
		kb.inner = plain
		return kb, err
	}
	kb.info = Info{Format: plain}
	return kb, err
}

// decode decrypts the block if needed and parses the key.
func (kb *keyBlock) decode(password []byte) (any, error) {
	switch kb.info.Format {
	case EncryptedPKCS8:
		if len(password) == 0 {
			return kb.emptyPassword()
		}
		der, err := kb.enc.decrypt(password)
		if err != nil {
			return nil, err
		}
		defer clear(der)
		return parseDecrypted(der, PKCS8)
	case LegacyPEM:
		if len(password) == 0 {
			return nil, ErrPasswordRequired
		}
		der, err := decryptLegacy(kb.block, password)
		if err != nil {
			return nil, err
		}
		defer clear(der)
		return parseDecrypted(der, kb.inner)
	default:
		return parseDER(kb.block.Bytes, kb.info.Format)
	}
}

// parseDecrypted parses a decrypted body. Unauthenticated CBC decrypts a
// wrong password to noise that passes the padding check about once in 256
// tries, so a body that does not parse means the password was wrong.
func parseDecrypted(der []byte, f Format) (any, error) {
	key, err := parseDER(der, f)
	if errors.Is(err, ErrMalformed) {
		return nil, ErrIncorrectPassword
	}
	return key, err
}

// isKeyType reports whether a PEM block type names a private key, the rule
// crypto/tls also uses ("PRIVATE KEY" or ending in " PRIVATE KEY").
func isKeyType(t string) bool {
	return t == typePKCS8 || strings.HasSuffix(t, " PRIVATE KEY")
}

// maxListedTypes bounds the block types named in an ErrNoKey message.
const maxListedTypes = 8

// findKeyBlock returns the private-key PEM block GnuTLS 3.7.9 (so QEMU
// and libvirt) would read from data (package gnutlspem): the first
// "RSA PRIVATE KEY", "DSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY"
// or "ENCRYPTED PRIVATE KEY" block, in that order of labels, wherever it
// is in the file. A block with RFC 1421 headers is refused as GnuTLS
// refuses it, except a legacy OpenSSL-encrypted key (Proc-Type and
// DEK-Info), which GnuTLS decrypts with a password.
func findKeyBlock(data []byte) (*pem.Block, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, newError(ErrNoKey, "empty file")
	}
	gb, gerr := gnutlspem.Key(data)
	if gerr == nil {
		if bytes.Contains(data[gb.Start:gb.BodyEnd], []byte("Proc-Type:")) {
			if b, _ := pem.Decode(data[gb.Start:]); b != nil && b.Type == gb.Label && b.Headers["Proc-Type"] != "" {
				if gb.Label == typePKCS8 || gb.Label == typeEncryptedPKCS8 {
					return nil, newError(ErrMalformed, fmt.Sprintf("the %s PEM block has Proc-Type/DEK-Info headers, which only RSA, EC and DSA PRIVATE KEY blocks may have", gb.Label))
				}
				return b, nil
			}
			return nil, newError(ErrMalformed, fmt.Sprintf("the %s PEM block has a malformed Proc-Type header", gb.Label))
		}
		if err := gnutlspem.CheckKey(gb.DER); err != nil {
			return nil, newError(ErrMalformed, err.Error())
		}
		return &pem.Block{Type: gb.Label, Bytes: gb.DER}, nil
	}
	var ge *gnutlspem.Error
	if errors.As(gerr, &ge) && ge.GnuTLS != gnutlspem.TextNotAvailable {
		return nil, newError(ErrMalformed, ge.Reason)
	}
	var found []string
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if isKeyType(b.Type) {
			return b, nil // a key GnuTLS does not know: examine says why
		}
		if t := clean(b.Type, 40); !slices.Contains(found, t) {
			found = append(found, t)
		}
	}

	// pem.Decode silently skips a block it cannot decode, so look for the
	// BEGIN line of a key block that did not come out.
	if label := brokenKeyBlock(data); label != "" {
		return nil, newError(ErrMalformed, fmt.Sprintf("the %s PEM block is truncated or its base64 is corrupt", clean(label, 40)))
	}
	switch {
	case len(found) > maxListedTypes:
		return nil, newError(ErrNoKey, fmt.Sprintf("no PEM private key (found %s and %d other block types)", strings.Join(found[:maxListedTypes], ", "), len(found)-maxListedTypes))
	case len(found) > 0:
		return nil, newError(ErrNoKey, "no PEM private key (found "+strings.Join(found, ", ")+")")
	case bytes.Contains(data, []byte("-----BEGIN")):
		return nil, newError(ErrNoKey, "no PEM private key (found only malformed PEM blocks)")
	case data[0] == 0x30: // a DER SEQUENCE
		return nil, newError(ErrNoKey, "not PEM (looks like DER); convert a DER key with `openssl pkey -inform DER -in KEY.der -out KEY.pem`")
	default:
		return nil, newError(ErrNoKey, "no PEM private key (no -----BEGIN line found)")
	}
}

// brokenKeyBlock returns the type of the first "-----BEGIN ... PRIVATE
// KEY-----" line in data, or "".
func brokenKeyBlock(data []byte) string {
	for line := range bytes.Lines(data) {
		label, ok := bytes.CutPrefix(bytes.TrimSpace(line), []byte("-----BEGIN "))
		if !ok {
			continue
		}
		if label, ok = bytes.CutSuffix(label, []byte("-----")); ok && isKeyType(string(label)) {
			return string(label)
		}
	}
	return ""
}

// clean makes text taken from the input safe for a message: at most n
// bytes, control characters and invalid UTF-8 replaced by '?'.
func clean(s string, n int) string {
	suffix := ""
	if len(s) > n {
		s, suffix = s[:n], "..."
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return '?'
		}
		return r
	}, s) + suffix
}

// emptyPassword decrypts an encrypted PKCS#8 key with the empty password,
// as gnutls_x509_privkey_import2 does when it is given none (measured
// with qemu-img 7.2, 10.0, 10.1 and 10.2: a key encrypted with "" loads
// without passwordid=). Any failure is ErrPasswordRequired.
func (kb *keyBlock) emptyPassword() (any, error) {
	der, err := kb.enc.decrypt([]byte{})
	if err != nil {
		if errors.Is(err, ErrIncorrectPassword) {
			return nil, ErrPasswordRequired
		}
		return nil, err
	}
	defer clear(der)
	key, err := parseDecrypted(der, PKCS8)
	if errors.Is(err, ErrIncorrectPassword) {
		return nil, ErrPasswordRequired
	}
	if err == nil {
		kb.info.EmptyPassword = true
	}
	return key, err
}
