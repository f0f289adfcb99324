package creds

import (
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"sync"
)

// DHParams are finite-field Diffie-Hellman parameters from a dh-params.pem
// file. Only GnuTLS (QEMU's anon, psk and x509 servers) uses them: crypto/tls
// has no finite-field DHE. QEMU 10.2 deprecates the file and lets GnuTLS
// negotiate RFC 7919 groups instead.
type DHParams struct {
	P, G *big.Int
	Bits int // bit length of P
}

// maxDHBits bounds the prime so that Problems (a primality test) stays fast
// on hostile input. GnuTLS-era files are at most 8192 bits.
const maxDHBits = 16384

// ErrInvalidDHParams is wrapped by every error ParseDHParams returns.
var ErrInvalidDHParams = errors.New("invalid DH parameters")

// pkcs3 is PKCS #3 DHParameter:
// SEQUENCE { prime INTEGER, base INTEGER, privateValueLength INTEGER OPTIONAL }.
type pkcs3 struct {
	P, G               *big.Int
	PrivateValueLength *big.Int `asn1:"optional"`
}

// ParseDHParams parses the PEM "DH PARAMETERS" block (PKCS #3, what GnuTLS
// imports and `openssl dhparam` writes) in the file called name (used in
// messages only; "" leaves it out, for a caller whose error names the
// file already). Text around the block is ignored; a second DH PARAMETERS
// block, trailing bytes inside the block, or a DER file are errors. The
// optional privateValueLength is accepted and ignored.
func ParseDHParams(name string, data []byte) (*DHParams, error) {
	fail := func(format string, args ...any) error {
		if name == "" {
			return fmt.Errorf("%w: %s", ErrInvalidDHParams, fmt.Sprintf(format, args...))
		}
		return fmt.Errorf("dh parameters %s: %w: %s", name, ErrInvalidDHParams, fmt.Sprintf(format, args...))
	}
	var (
		block *pem.Block
		types []string
	)
	for rest := data; ; {
		b, r := pem.Decode(rest)
		if b == nil {
			break
		}
		rest = r
		if b.Type != "DH PARAMETERS" {
			types = append(types, b.Type)
			continue
		}
		if block != nil {
			return nil, fail("more than one DH PARAMETERS block")
		}
		block = b
	}
	if block == nil {
		switch {
		case len(types) > 0 && types[0] == "X9.42 DH PARAMETERS":
			return nil, fail(`found an "X9.42 DH PARAMETERS" block (openssl dhparam -dsaparam or genpkey -algorithm DHX); GnuTLS wants PKCS #3 "DH PARAMETERS": regenerate with openssl dhparam or openssl genpkey -genparam -algorithm DH`)
		case len(types) > 0:
			return nil, fail(`no "DH PARAMETERS" PEM block (found %q)`, types)
		case len(data) > 0 && data[0] == 0x30:
			return nil, fail(`no "DH PARAMETERS" PEM block: the file looks like DER; QEMU reads PEM only (convert with openssl dhparam -inform DER -outform PEM)`)
		}
		return nil, fail(`no "DH PARAMETERS" PEM block`)
	}
	var v pkcs3
	rest, err := asn1.Unmarshal(block.Bytes, &v)
	if err != nil {
		return nil, fail("want PKCS #3 SEQUENCE {p, g [, privateValueLength]}: %v", err)
	}
	if len(rest) > 0 {
		return nil, fail("%d bytes of trailing data after the DER SEQUENCE", len(rest))
	}
	if v.P.Sign() <= 0 {
		return nil, fail("p is not positive")
	}
	if v.G.Sign() <= 0 {
		return nil, fail("g is not positive")
	}
	if bits := v.P.BitLen(); bits > maxDHBits {
		return nil, fail("p is %d bits, more than the %d this tool accepts", bits, maxDHBits)
	}
	return &DHParams{P: v.P, G: v.G, Bits: v.P.BitLen()}, nil
}

// Problems lists what is weak or wrong in d: p under 2048 bits, p not prime
// (ProbablyPrime(20)), g other than 2 or 5, g not below p, and, as
// information, parameters that are not an RFC 7919 group.
func (d *DHParams) Problems() []string {
	var out []string
	if d.Bits < 2048 {
		out = append(out, fmt.Sprintf("p is %d bits; use at least 2048 (e.g. the RFC 7919 group ffdhe2048: openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048)", d.Bits))
	}
	group := d.RFC7919Group()
	// The RFC 7919 primes are known primes; testing an 8192-bit one takes seconds.
	if group == "" && !d.P.ProbablyPrime(20) {
		out = append(out, "p is not prime")
	}
	if d.G.Cmp(big.NewInt(2)) != 0 && d.G.Cmp(big.NewInt(5)) != 0 {
		g := d.G.String()
		if d.G.BitLen() > 64 {
			g = fmt.Sprintf("a %d-bit number", d.G.BitLen())
		}
		out = append(out, fmt.Sprintf("g is %s; want 2 or 5", g))
	}
	if d.G.Cmp(d.P) >= 0 {
		out = append(out, "g is not smaller than p")
	}
	if group == "" {
		out = append(out, "info: not an RFC 7919 ffdhe group; prefer ffdhe2048 or larger (QEMU 10.2 deprecates dh-params.pem and GnuTLS negotiates RFC 7919 groups itself)")
	}
	return out
}

// RFC7919Group returns the name of the RFC 7919 group d is ("ffdhe2048",
// "ffdhe3072", "ffdhe4096", "ffdhe6144" or "ffdhe8192"), or "".
func (d *DHParams) RFC7919Group() string {
	if d.G.Cmp(big.NewInt(2)) != 0 {
		return ""
	}
	for _, g := range rfc7919Groups() {
		if g.p.Cmp(d.P) == 0 {
			return g.name
		}
	}
	return ""
}

type namedGroup struct {
	name string
	p    *big.Int
}

// rfc7919Groups computes the RFC 7919 primes from their definition
// (RFC 7919 Appendix A):
//
//	p = 2^b - 2^(b-64) + {[2^(b-130) e] + X} * 2^64 - 1
//
// with e the base of the natural logarithm and X the constant the RFC gives
// for each size. Deriving them keeps ~6 KB of hex out of the source; the
// tests compare the results with OpenSSL's built-in groups.
var rfc7919Groups = sync.OnceValue(func() []namedGroup {
	sizes := []struct {
		name string
		bits uint
		x    int64
	}{
		{"ffdhe2048", 2048, 560316},
		{"ffdhe3072", 3072, 2625351},
		{"ffdhe4096", 4096, 5736041},
		{"ffdhe6144", 6144, 15705020},
		{"ffdhe8192", 8192, 10965728},
	}
	out := make([]namedGroup, len(sizes))
	for i, s := range sizes {
		one := big.NewInt(1)
		p := new(big.Int).Lsh(one, s.bits)
		p.Sub(p, new(big.Int).Lsh(one, s.bits-64))
		mid := floorETimes2Pow(s.bits - 130)
		mid.Add(mid, big.NewInt(s.x))
		p.Add(p, mid.Lsh(mid, 64))
		p.Sub(p, one)
		out[i] = namedGroup{name: s.name, p: p}
	}
	return out
})

// floorETimes2Pow returns floor(e * 2^n). It sums floor(2^(n+64) / k!) over
// k (each term is exact: nested floor divisions by integers equal one floor
// division), so the sum falls short of 2^(n+64) e by less than the number of
// terms (about 1000). Dropping the 64 guard bits then gives the exact floor
// unless those bits of the true value are below 1000, a 2^-54 chance that
// the tests rule out by comparing with OpenSSL.
func floorETimes2Pow(n uint) *big.Int {
	const guard = 64
	term := new(big.Int).Lsh(big.NewInt(1), n+guard)
	sum := new(big.Int)
	for k := int64(1); term.Sign() > 0; k++ {
		sum.Add(sum, term)
		term.Quo(term, big.NewInt(k))
	}
	return sum.Rsh(sum, guard)
}
