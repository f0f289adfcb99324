package diagnose

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/lint/table"

	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/lint"
)

// Versions of the JSON documents the commands print.
const (
	DiagnoseSchema = "tlscreds.diagnose/v1"
	PairSchema     = "tlscreds.pair/v1"
	ExplainSchema  = "tlscreds.explain/v1"
)

// WriteReportJSON writes a probe's report and its findings.
func WriteReportJSON(w io.Writer, r Report, fs []lint.Finding) error {
	if fs == nil {
		fs = []lint.Finding{}
	}
	return writeJSON(w, struct {
		Schema   string         `json:"schema"`
		OK       bool           `json:"ok"`
		Report   Report         `json:"report"`
		Findings []lint.Finding `json:"findings"`
	}{DiagnoseSchema, r.OK, r, fs})
}

// WritePairJSON writes a pair report.
func WritePairJSON(w io.Writer, rep PairReport) error {
	return writeJSON(w, struct {
		Schema string `json:"schema"`
		PairReport
	}{PairSchema, rep})
}

// WriteExplainJSON writes the explanations of a text.
func WriteExplainJSON(w io.Writer, es []Explanation) error {
	if es == nil {
		es = []Explanation{}
	}
	h := Headline(es)
	if h == nil {
		h = []string{}
	}
	return writeJSON(w, struct {
		Schema     string `json:"schema"`
		Recognised bool   `json:"recognised"`
		// Headline ranks the causes of the whole text, most likely first.
		Headline     []string      `json:"headline"`
		Explanations []Explanation `json:"explanations"`
	}{ExplainSchema, len(es) > 0, h, es})
}

func writeJSON(w io.Writer, v any) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	e.SetEscapeHTML(false)
	return e.Encode(v)
}

// WriteReportTable writes a probe's report for a terminal: what was
// seen, step by step, then the findings.
func WriteReportTable(w io.Writer, r Report, fs []lint.Finding) error {
	var b strings.Builder
	verify := "system trust store"
	if r.opts.CA != nil {
		verify = fmt.Sprintf("%d CA certificate(s)", len(r.opts.CA))
		if r.opts.CAFile != "" {
			verify += " from " + r.opts.CAFile
		}
	}
	fmt.Fprintf(&b, "diagnose %s (name %q, SNI %q, verified against %s)\n", safe(r.Addr), r.ServerName, r.SNI, safe(verify))
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "  %-12s %s\n", k, safe(v))
		}
	}
	line("resolved", strings.Join(r.Resolved, ", "))
	line("connected", r.RemoteAddr)
	for _, s := range r.StartTLSSteps {
		line(r.StartTLS, s)
	}
	if r.Version != "" {
		alpn := r.ALPN
		switch {
		case r.ALPNRefused != "":
			alpn = "not offered here (offered " + strings.Join(r.ALPNOffered, ",") + ", the server chose one not offered)"
		case r.ALPNNone != "":
			alpn = "not offered here (offered " + strings.Join(r.ALPNOffered, ",") + ", the server supports none of them)"
		case alpn == "" && len(r.ALPNOffered) > 0:
			alpn = "none of " + strings.Join(r.ALPNOffered, ",")
		}
		line("tls", strings.TrimSuffix(fmt.Sprintf("%s, %s, ALPN %s", r.Version, r.CipherSuite, orWord(alpn, "not used")), ", ALPN not used"))
	}
	for i, c := range r.Chain {
		line(fmt.Sprintf("chain[%d]", i), fmt.Sprintf("%s (issuer %s; %s to %s; %s; %s)", c.Subject, c.Issuer,
			c.NotBefore.Format("2006-01-02"), c.NotAfter.Format("2006-01-02"), sanSummary(c), c.PublicKey))
	}
	if len(r.Chain) > 0 {
		if r.Verified {
			line("verified", "yes")
		} else {
			line("verified", "no: "+r.VerifyErr)
		}
		if f := r.IssuerFetch; f != nil {
			switch {
			case f.Error != "":
				line("issuer", "caIssuers "+f.URL+": "+f.Error)
			case !f.Issues:
				line("issuer", "caIssuers "+f.URL+": "+f.Subject+", which did not sign the certificate")
			case f.Trusted:
				line("issuer", "caIssuers "+f.URL+": "+f.Subject+", which chains to a trusted CA")
			default:
				line("issuer", "caIssuers "+f.URL+": "+f.Subject+", which does not chain to a trusted CA")
			}
		}
	}
	if r.CertRequested {
		sent := "none sent"
		if r.ClientCertSent {
			sent = "sent " + orWord(r.opts.CertFile, "the client certificate")
		}
		acc := "any CA"
		if len(r.AcceptableCAs) > 0 {
			acc = strings.Join(r.AcceptableCAs, "; ")
		}
		line("client cert", fmt.Sprintf("requested (acceptable CAs: %s); %s", acc, sent))
	}
	if r.Alert != nil {
		line("alert", fmt.Sprintf("%d %s, received at %s", r.Alert.Number, r.Alert.Name, r.AlertStage))
	}
	if r.ServerBytes != "" {
		line("server sent", r.ServerBytes)
	}
	if r.FirstRead != "" {
		line("first read", strings.TrimSuffix(r.FirstRead+": "+r.ReadNote, ": "))
	}
	for _, rt := range r.Retries {
		res := "handshake completed"
		if !rt.OK {
			res = "failed: " + rt.Error
		}
		if rt.Version != "" {
			res += fmt.Sprintf(" (%s, %s)", rt.Version, rt.Suite)
		}
		if rt.Leaf != "" {
			res += "; certificate " + rt.Leaf
		}
		line("retry", rt.Purpose+": "+res)
	}
	for _, p := range r.Suites {
		res := "refused"
		switch {
		case p.Accepted:
			res = "accepted: " + p.Suite
			if p.KeyType != "" {
				res += ", certificate " + p.KeyType
			}
		case p.Alert != nil:
			res = fmt.Sprintf("refused: alert %d %s", p.Alert.Number, p.Alert.Name)
		case p.Error != "":
			res = "refused: " + p.Error
		}
		line("suites", "TLS 1.2 "+p.Family+" only: "+res)
	}
	if r.OK {
		fmt.Fprintf(&b, "result: ok, the handshake and the first read succeeded (%s)\n", r.Elapsed.Round(time.Millisecond))
	} else {
		fmt.Fprintf(&b, "result: FAILED at %s: %s\n", r.Stage, safe(r.Error))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	return WriteFindingsTable(w, fs)
}

func sanSummary(c CertSummary) string {
	var parts []string
	if len(c.DNSNames) > 0 {
		parts = append(parts, "DNS "+strings.Join(c.DNSNames, ","))
	}
	if len(c.IPs) > 0 {
		parts = append(parts, "IP "+strings.Join(c.IPs, ","))
	}
	if len(parts) == 0 {
		return "no SANs"
	}
	return strings.Join(parts, ", ")
}

// WriteFindingsTable renders findings as a table: severity, cause, side,
// object, message, fix and the lint rules that catch it.
func WriteFindingsTable(w io.Writer, fs []lint.Finding) error {
	if len(fs) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	t := table.New(w)
	t.Header("SEVERITY", "CAUSE", "SIDE", "MESSAGE", "FIX")
	for _, f := range fs {
		fix := f.Fix
		if f.Citation != "" {
			fix += " [" + f.Citation + "]"
		}
		side := string(f.Subject)
		if f.Object != "" {
			side += "\n" + safe(f.Object)
		}
		t.Append(f.Severity.String(), f.Rule, side, safe(f.Message), safe(fix))
	}
	return t.Render()
}

// WritePairTable renders a pair report.
func WritePairTable(w io.Writer, rep PairReport) error {
	fmt.Fprintf(w, "pair server %s with client %s, host %q\n", rep.Server, rep.Client, rep.Host)
	if len(rep.Load) > 0 {
		fmt.Fprintln(w, "  no handshake: an object does not load")
	}
	for _, r := range rep.Results {
		switch {
		case r.Skipped != "":
			fmt.Fprintf(w, "  %-8s skipped: %s\n", r.Version, strings.TrimSuffix(r.Skipped, "; "))
		case r.OK:
			cert := "no client certificate"
			if r.ClientCertSent {
				cert = "client certificate sent"
			}
			fmt.Fprintf(w, "  %-8s ok (%s, %s)\n", r.Version, r.CipherSuite, cert)
		default:
			fmt.Fprintf(w, "  %-8s FAILED\n", r.Version)
			fmt.Fprintf(w, "  %-8s   server: %s\n", "", safe(orWord(r.ServerError, "no error")))
			fmt.Fprintf(w, "  %-8s   client: %s\n", "", safe(orWord(r.ClientError, "no error")))
		}
	}
	if rep.OK {
		fmt.Fprintln(w, "result: ok, the client and the server complete the handshake")
	} else {
		fmt.Fprintln(w, "result: FAILED")
	}
	return WriteFindingsTable(w, rep.Findings())
}

// headlineTellApart is the command that tells the headline's first two
// causes apart: an explanation's own when it leads with them (it knows
// the text, an NBD server's say), else the generic one.
func headlineTellApart(es []Explanation, h []string) string {
	for _, e := range es {
		if e.TellApart != "" && len(e.Causes) > 1 && e.Causes[0] == h[0] && e.Causes[1] == h[1] {
			return e.TellApart
		}
	}
	return tellApart(h[0], h[1])
}

// WriteExplainTable renders explanations, one block each.
func WriteExplainTable(w io.Writer, es []Explanation) error {
	var b strings.Builder
	if h := Headline(es); len(h) > 0 {
		fmt.Fprintf(&b, "most likely: %s", h[0])
		if c, ok := cause.Lookup(h[0]); ok {
			fmt.Fprintf(&b, " (%s)", c.Summary)
		}
		b.WriteString("\n")
		if len(h) > 1 {
			fmt.Fprintf(&b, "also possible, in this order: %s\n", strings.Join(h[1:min(len(h), 4)], ", "))
			fmt.Fprintf(&b, "to tell them apart: %s\n", headlineTellApart(es, h))
		}
		b.WriteString("\n")
	}
	for i, e := range es {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%q (%s)\n", e.Match, e.Source)
		fmt.Fprintf(&b, "  meaning: %s\n", safe(e.Meaning))
		fmt.Fprintf(&b, "  side:    %s\n", e.Side)
		if len(e.Causes) > 0 {
			fmt.Fprintf(&b, "  causes:  %s\n", strings.Join(e.Causes, ", "))
		}
		if e.TellApart != "" {
			fmt.Fprintf(&b, "  tell apart: %s\n", e.TellApart)
		}
		if e.Fix != "" {
			fmt.Fprintf(&b, "  fix:     %s\n", e.Fix)
		}
		if len(e.Rules) > 0 {
			fmt.Fprintf(&b, "  lint:    %s (tlscreds lint catches it before deployment)\n", strings.Join(e.Rules, ", "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCausesMarkdown writes the cause registry (creds/cause) as Markdown: a table, then
// one section per cause whose heading is its ID.
func WriteCausesMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("| Cause | Side | Summary | Caught by lint |\n| --- | --- | --- | --- |\n")
	for _, c := range cause.All() {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s |\n", c.ID, c.ID, c.Side, lint.MarkdownCell(lint.MarkdownText(c.Summary)), strings.Join(c.Lint, ", "))
	}
	for _, c := range cause.All() {
		fmt.Fprintf(&b, "\n### %s\n\n%s.\n\n", c.ID, capitalize(lint.MarkdownText(c.Summary)))
		fmt.Fprintf(&b, "- **Side:** %s\n", c.Side)
		fmt.Fprintf(&b, "- **Fix:** %s\n", lint.MarkdownText(c.Fix))
		if len(c.Lint) > 0 {
			rules := make([]string, len(c.Lint))
			for i, r := range c.Lint {
				rules[i] = fmt.Sprintf("[%s](rules.md#%s)", r, r)
			}
			fmt.Fprintf(&b, "- **Caught before deployment by:** %s\n", strings.Join(rules, ", "))
		}
		if len(c.Seen) > 0 {
			seen := make([]string, len(c.Seen))
			for i, s := range c.Seen {
				seen[i] = "`" + strings.ReplaceAll(s, "`", "'") + "`"
			}
			fmt.Fprintf(&b, "- **Seen as:** %s\n", strings.Join(seen, ", "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// safe escapes the characters of s that are not printable (see
// [lint.Printable]).
func safe(s string) string { return lint.Printable(s) }

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
