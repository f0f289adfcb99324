package diagnose

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/creds"
)

// IssuerFetch is diagnose's look at the issuer a chain does not include:
// a certificate whose issuer was neither sent nor trusted names where
// its issuer can be fetched (Authority Information Access, caIssuers),
// as browsers fetch it. What was fetched tells a missing intermediate
// (it is an intermediate, and it chains to a trusted CA) from an unknown
// CA.
type IssuerFetch struct {
	URL     string `json:"url"`
	Subject string `json:"subject,omitempty"` // the certificate fetched
	// Issues says it verifies the certificate that named the URL;
	// Trusted that it chains to a CA the client trusts.
	Issues  bool   `json:"issues"`
	Trusted bool   `json:"trusted"`
	Error   string `json:"error,omitempty"`

	cert *x509.Certificate
}

// aiaLimit bounds what is read from a caIssuers URL: one certificate is
// a few KiB.
const aiaLimit = 64 << 10

// fetchIssuer fetches the issuer of the top of the presented chain from
// its caIssuers URL (http only, as RFC 5280 section 4.2.2.1 says), when
// the chain did not verify because that issuer is unknown.
func (r *Report) fetchIssuer(ctx context.Context) {
	var uae x509.UnknownAuthorityError
	if len(r.peer) == 0 || !errors.As(r.verr, &uae) {
		return
	}
	path := presentedPath(r.peer)
	top := path[len(path)-1]
	if creds.SelfSigned(top) {
		return
	}
	var url string
	for _, u := range top.IssuingCertificateURL {
		if strings.HasPrefix(strings.ToLower(u), "http://") {
			url = u
			break
		}
	}
	if url == "" {
		return
	}
	f := &IssuerFetch{URL: url}
	r.IssuerFetch = f
	timeout := min(r.opts.Timeout, 5*time.Second)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c, err := getCertificate(ctx, url)
	if err != nil {
		f.Error = err.Error()
		return
	}
	f.cert, f.Subject = c, c.Subject.String()
	f.Issues = top.CheckSignatureFrom(c) == nil
	if f.Issues {
		opts := x509.VerifyOptions{CurrentTime: r.opts.Time(), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
		if r.opts.CA != nil {
			opts.Roots = x509.NewCertPool()
			for _, a := range r.opts.CA {
				opts.Roots.AddCert(a)
			}
		}
		_, err := c.Verify(opts)
		f.Trusted = err == nil
	}
}

// getCertificate reads one certificate, DER or PEM, from url.
func getCertificate(ctx context.Context, url string) (*x509.Certificate, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered %s", url, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, aiaLimit+1))
	if err != nil {
		return nil, err
	}
	if len(b) > aiaLimit {
		return nil, fmt.Errorf("%s sent more than %d KiB", url, aiaLimit>>10)
	}
	if blk, _ := pem.Decode(b); blk != nil && blk.Type == "CERTIFICATE" {
		b = blk.Bytes
	}
	c, err := x509.ParseCertificate(b)
	if err != nil {
		// PKCS#7 bundles (.p7c) are not read.
		return nil, fmt.Errorf("what %s sent is not one DER or PEM certificate: %v", url, err)
	}
	return c, nil
}
