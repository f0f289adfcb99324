package diagnose

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/internal/lazyregexp"
	"github.com/tlscreds/tlscreds/lint"
)

// Explanation says what one recognised error message means.
type Explanation struct {
	// Match is the text recognised, Source the program that prints it.
	Match  string `json:"match"`
	Source string `json:"source"`
	// Side says who prints the message and whose configuration is
	// usually at fault.
	Side    string `json:"side"`
	Meaning string `json:"meaning"`
	// Causes are the likely causes (handshake-* IDs, see [Causes]), most
	// likely first; Rules the lint rules that catch them before
	// deployment.
	Causes []string `json:"causes"`
	Rules  []string `json:"lint_rules"`
	Fix    string   `json:"fix"`
	// Alert is the TLS alert the message reports, if any.
	Alert *Alert `json:"alert,omitempty"`
	// TellApart, when the message fits several causes, is one command
	// whose output tells them apart.
	TellApart string `json:"tell_apart,omitempty"`

	start, end int
	fixed      int  // length of the literal part matched: more is more specific
	wrapper    bool // a frame around another message ("TLS handshake failed: %s")
	generic    bool // says little by itself (a curl exit code, "handshake failed")
	first      bool // names the cause outright: it leads the headline
}

// maxExplainInput bounds the text Explain looks at.
const maxExplainInput = 1 << 20

// Explain recognises the error messages in text — QEMU and libvirt
// credential and session messages, GnuTLS, OpenSSL, Go and curl errors,
// TLS alert names and numbers — and explains each, in the order they
// appear. A message inside another (GnuTLS's reason inside QEMU's "TLS
// handshake failed: %s") gets its own explanation; a generic pattern
// that only repeats a more specific one is left out. Text it does not
// recognise gives no explanations.
func Explain(text string) []Explanation {
	if len(text) > maxExplainInput {
		text = text[:maxExplainInput]
	}
	text = withGnuTLSDescriptions(text)
	// The text is first looked for each pattern's required literals,
	// which is most of Explain's speed: most of the hundreds of patterns
	// cannot match a given text, and one that cannot match across lines
	// is run only on the lines that hold one of its literals (a long log
	// stays linear). The literals are compared with the text's ASCII
	// letters in lower case (case-folded literals are ASCII). The only
	// other letters that fold to ASCII ones are the Kelvin sign and the
	// long s (k and s): in a text that holds either, both sides have
	// them replaced too, and a pattern that may match is searched in
	// full (the replacement moves offsets).
	var lower, folded string
	if filterByLiteral {
		lower = asciiLower(text)
		if strings.ContainsAny(text, "\u212a\u017f") {
			folded = foldKS.Replace(lower)
		}
	}
	holds := func(s string, lits []string) bool {
		return slices.ContainsFunc(lits, func(lit string) bool { return strings.Contains(s, lit) })
	}
	var found []Explanation
	for _, p := range explainPatterns() {
		var matches [][]int
		switch {
		case !filterByLiteral || p.needs == nil:
			matches = p.re.FindAllStringSubmatchIndex(text, 4)
		case folded != "":
			if holds(folded, p.foldedNeeds) {
				matches = p.re.FindAllStringSubmatchIndex(text, 4)
			}
		case p.oneLine:
			matches = p.findInLines(text, lower, 4)
		case holds(lower, p.needs):
			matches = p.re.FindAllStringSubmatchIndex(text, 4)
		}
		for _, m := range matches {
			if e, ok := p.explain(text, m); ok {
				found = append(found, e)
			}
		}
	}
	// Most specific first; drop what lies inside an accepted message,
	// unless it is only a frame.
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].wrapper != found[j].wrapper {
			return !found[i].wrapper
		}
		return found[i].fixed > found[j].fixed
	})
	var kept []Explanation
	for _, e := range found {
		if i := slices.IndexFunc(kept, func(k Explanation) bool { return k.start == e.start && k.end == e.end }); i >= 0 {
			kept[i].merge(e) // the same text read two ways: keep both readings
			continue
		}
		covered := slices.ContainsFunc(kept, func(k Explanation) bool {
			return !k.wrapper && k.start <= e.start && e.end <= k.end
		})
		dup := slices.ContainsFunc(kept, func(k Explanation) bool {
			return k.Meaning == e.Meaning && slices.Equal(k.Causes, e.Causes)
		})
		if !covered && !dup {
			kept = append(kept, e)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].start < kept[j].start })
	if ipMismatch.MatchString(text) {
		// The client checked the certificate against an IP address, so
		// it connected by address and sent no SNI (RFC 6066 forbids
		// addresses there): a server that picks its certificate by SNI
		// sent its default one, which may be all that is wrong.
		for i := range kept {
			if j := slices.Index(kept[i].Causes, cause.NameMismatch); j >= 0 && !slices.Contains(kept[i].Causes, cause.SNIDependent) {
				kept[i].Causes = slices.Insert(kept[i].Causes, j+1, cause.SNIDependent)
				if j == 0 {
					kept[i].TellApart = tellApart(cause.NameMismatch, cause.SNIDependent)
				}
			}
		}
	}
	for i := range kept {
		// A server that could not load its certificate and key may
		// answer in plain text on its TLS port: gunicorn 20.1 builds its
		// TLS context per connection and writes its HTTP 400 in plain
		// text when the key is not the certificate's (measured, round
		// 63), so a client reads "not TLS" from a TLS server.
		if slices.Contains(kept[i].Causes, cause.NotTLS) && !slices.Contains(kept[i].Causes, cause.LoadFailed) {
			kept[i].Causes = append(slices.Clip(kept[i].Causes), cause.LoadFailed)
			kept[i].Meaning += "; a TLS server that could not load its certificate and key may answer in plain text too (gunicorn does: its log says KEY_VALUES_MISMATCH)"
		}
	}
	if plainHTTPURL.MatchString(text) {
		// A plain HTTP client that timed out may be talking to a TLS
		// port whose server waits for the rest of what it took for a
		// TLS record (measured: NSS's selfserv reads "GET /" as a
		// record header and waits, round 62).
		for i := range kept {
			if len(kept[i].Causes) > 0 && kept[i].Causes[0] == cause.Timeout && !slices.Contains(kept[i].Causes, cause.PlaintextToTLS) {
				kept[i].Causes = append(slices.Clip(kept[i].Causes), cause.PlaintextToTLS)
				kept[i].Meaning += "; the client spoke plain HTTP: a TLS server on that port waits for the rest of what it read as a TLS record (NSS's does)"
			}
		}
	}
	if nbdText.MatchString(text) {
		// The server speaks NBD: diagnose reaches its TLS only after
		// NBD_OPT_STARTTLS.
		for i := range kept {
			kept[i].TellApart = withStartTLS(kept[i].TellApart, "nbd")
		}
	}
	return kept
}

// withGnuTLSDescriptions reads GnuTLS's error names as programs log them
// (gnutls_strerror_name: Knot Resolver, lighttpd's mod_gnutls) as
// GnuTLS's own descriptions (gnutls_strerror, the words most GnuTLS
// programs print and the patterns read): each name not followed by its
// description on its line gets it, after a colon
// ("GNUTLS_E_SESSION_EOF: Peer has terminated the connection (-328)").
// Text without a name is returned as it is.
func withGnuTLSDescriptions(text string) string {
	const prefix = "GNUTLS_E_"
	var b strings.Builder
	last, from := 0, 0
	for {
		i := strings.Index(text[from:], prefix)
		if i < 0 {
			break
		}
		start := from + i
		end := start + len(prefix)
		for end < len(text) && (text[end] >= 'A' && text[end] <= 'Z' || text[end] >= '0' && text[end] <= '9' || text[end] == '_') {
			end++
		}
		from = end
		desc, ok := gnutlsErrors[text[start:end]]
		if !ok {
			continue
		}
		rest := text[end:]
		if j := strings.IndexByte(rest, '\n'); j >= 0 {
			rest = rest[:j]
		}
		if strings.Contains(strings.ToLower(rest), strings.ToLower(strings.TrimSuffix(desc, "."))) {
			continue
		}
		b.WriteString(text[last:end])
		b.WriteString(": ")
		b.WriteString(desc)
		last = end
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// ipMismatch: a verifier's name check failed against an IP address, as
// OpenSSL (verify error 64), Go, Java, Node.js, curl, wget and git word it.
var ipMismatch = lazyregexp.New(`IP address mismatch|doesn't contain any IP SANs|No subject alternative names matching IP address|Hostname/IP does not match certificate's altnames: IP:|(?:target host name|does not match hostname) \S?'?\[?(?:\d{1,3}\.){3}\d{1,3}|(?:target host name|does not match hostname) \S?'?\[?[0-9a-fA-F]*:[0-9a-fA-F:]+`)

// nbdText says a text comes from an NBD client or server (qemu-nbd,
// qemu-img's NBD driver, nbdinfo): diagnose must speak NBD to reach TLS.
var nbdText = lazyregexp.New(`qemu-nbd:|option negotiation failed|driver=nbd|nbd://|Failed to read opts magic|Failed to read option reply|NBD_OPT_|\bnbdinfo\b`)

// withStartTLS adds --starttls proto to a diagnose command that lacks it.
func withStartTLS(cmd, proto string) string {
	if cmd == "" || strings.Contains(cmd, "--starttls") {
		return cmd
	}
	return strings.Replace(cmd, "HOST:PORT", "HOST:PORT --starttls "+proto, 1)
}

// pattern is one family of messages.
type pattern struct {
	source string
	re     *regexp.Regexp
	needs  []string // lower case; every match of re contains one (see requiredLiterals)
	// foldedNeeds are needs with the Kelvin sign and the long s as k and s.
	foldedNeeds []string
	oneLine     bool // no match of re spans lines (see withinLines)
	side        string
	meaning     string // $1, $2 ... are the submatches
	causes      []string
	rules       []string // default: the causes' lint rules
	fix         string   // default: the first cause's fix
	wrapper     bool
	generic     bool
	first       bool
	// refine adjusts the explanation from the submatches (an alert
	// number, dates) and the whole text (who printed it, and when).
	refine func(e *Explanation, sub []string, text string) bool
}

func (p *pattern) explain(text string, m []int) (Explanation, bool) {
	sub := make([]string, len(m)/2)
	fixed := m[1] - m[0]
	for i := range sub {
		if m[2*i] >= 0 {
			sub[i] = text[m[2*i]:m[2*i+1]]
			if i > 0 {
				fixed -= len(sub[i])
			}
		}
	}
	e := Explanation{
		Match: strings.TrimSpace(sub[0]), Source: p.source, Side: p.side,
		Meaning: expand(p.meaning, sub), Causes: slices.Clone(p.causes), Rules: slices.Clone(p.rules), Fix: p.fix,
		start: m[0], end: m[1], fixed: fixed, wrapper: p.wrapper, generic: p.generic, first: p.first,
	}
	if p.refine != nil && !p.refine(&e, sub, text) {
		return e, false
	}
	e.aboutClientCert(text)
	e.complete()
	return e, true
}

// aboutClientCert rereads a verifier's message that a server printed: the
// certificate it refused is the client's, so the cause is the client's
// certificate refused, and the reasons that only a server's certificate
// can have drop out. A reason that is the client certificate's own state
// (revoked, outside its validity, too weak: ownStateCauses) stays the
// cause, as it is when the client itself refuses to load that
// certificate (QEMU, libvirt): the refusal follows it.
func (e *Explanation) aboutClientCert(text string) {
	if e.Side != sideVerifier || printedBy(text) != "server" {
		return
	}
	lead := []string{cause.ClientCertRejected}
	if len(e.Causes) > 0 && slices.Contains(ownStateCauses, e.Causes[0]) {
		lead = []string{e.Causes[0], cause.ClientCertRejected}
	} else if slices.Contains(e.Causes, cause.Revoked) {
		lead = []string{cause.Revoked, cause.ClientCertRejected}
	}
	for _, c := range e.Causes {
		if !slices.Contains(lead, c) && !slices.Contains(serverOnlyCauses, c) {
			lead = append(lead, c)
		}
	}
	if !slices.Contains(lead, cause.Revoked) {
		// A server that checks client certificates often has a CRL,
		// and a message without the verify error does not say it
		// was not the reason (measured: postgres with ssl_crl_file).
		lead = append(lead, cause.Revoked)
	}
	e.Causes = lead
	e.Side = "printed by the server about the client's certificate: the server refused it, and this says why"
}

// ownStateCauses are what is wrong with a certificate itself, whoever
// checks it: a server that refuses a client's certificate for one of
// these names the client's own defect, the cause to fix, where an issuer
// it does not trust is the refusal itself (handshake-client-cert-rejected).
var ownStateCauses = []string{cause.Revoked, cause.Expired, cause.NotYetValid, cause.Weak}

// serverOnlyCauses are about a server's certificate alone.
var serverOnlyCauses = []string{cause.NameMismatch, cause.CNOnly, cause.ServerEKU}

// merge adds another reading of the same text.
func (e *Explanation) merge(o Explanation) {
	if !strings.Contains(e.Meaning, o.Meaning) {
		e.Meaning += "; or: " + o.Meaning
	}
	for _, c := range o.Causes {
		if !slices.Contains(e.Causes, c) {
			e.Causes = append(e.Causes, c)
		}
	}
	for _, r := range o.Rules {
		if !slices.Contains(e.Rules, r) {
			e.Rules = append(e.Rules, r)
		}
	}
}

// complete fills the rules and the fix from the causes.
func (e *Explanation) complete() {
	if e.Causes == nil {
		e.Causes = []string{}
	}
	if e.Rules == nil {
		e.Rules = []string{}
		for _, id := range e.Causes {
			if c, ok := cause.Lookup(id); ok {
				for _, r := range c.Lint {
					if !slices.Contains(e.Rules, r) {
						e.Rules = append(e.Rules, r)
					}
				}
			}
		}
	}
	if e.Fix == "" && len(e.Causes) > 0 {
		if c, ok := cause.Lookup(e.Causes[0]); ok {
			e.Fix = c.Fix
		}
	}
	if e.Fix == "" && e.wrapper {
		e.Fix = "fix what the message it quotes says (explained on its own)"
	}
	if e.TellApart == "" && len(e.Causes) > 1 {
		e.TellApart = tellApart(e.Causes[0], e.Causes[1])
	}
}

func expand(s string, sub []string) string {
	for i := len(sub) - 1; i >= 1; i-- {
		s = strings.ReplaceAll(s, "$"+strconv.Itoa(i), strings.TrimSpace(sub[i]))
	}
	return s
}

var (
	patternsOnce sync.Once
	patterns     []*pattern
)

// explainPatterns is the hand-written table plus one pattern per QEMU or
// libvirt message in the lint rule registry, so that every lint rule with
// a consumer message is explainable.
func explainPatterns() []*pattern {
	patternsOnce.Do(func() {
		patterns = append(handPatterns(), lintPatterns()...)
		for _, p := range patterns {
			p.needs = requiredLiterals(p.re.String())
			for _, lit := range p.needs {
				p.foldedNeeds = append(p.foldedNeeds, foldKS.Replace(lit))
			}
			p.oneLine = withinLines(p.re.String())
		}
	})
	return patterns
}

// lintPatterns turns each rule's QEMU and libvirt message into a pattern:
// the literal text, with %s matching the path or name the program puts
// there. Rules that share a message share the pattern.
func lintPatterns() []*pattern {
	byMsg := map[string]*pattern{}
	var order []string
	for _, r := range lint.Rules() {
		msgs := []struct{ msg, source string }{{r.QEMU, "QEMU"}, {r.Libvirt, "libvirt"}}
		// Every proven QEMU build's wording of the rule's messages.
		for _, w := range lint.QEMUWordings(r) {
			if w != r.QEMU {
				msgs = append(msgs, struct{ msg, source string }{w, "QEMU"})
			}
		}
		for _, m := range msgs {
			if m.msg == "" {
				continue
			}
			if p, ok := byMsg[m.msg]; ok {
				p.rules = append(p.rules, r.ID)
				p.meaning += "; or: " + r.Summary + " (lint rule " + r.ID + ")"
				continue
			}
			byMsg[m.msg] = &pattern{
				source:  m.source,
				re:      regexp.MustCompile(consumerRegexp(m.msg)),
				side:    m.source + " refuses the credential object's own files (at load, or when it checks the peer's certificate)",
				meaning: r.Summary + " (lint rule " + r.ID + ")",
				causes:  ownFileCauses(r.ID),
				rules:   []string{r.ID},
				fix:     r.Fix,
			}
			order = append(order, m.msg)
		}
	}
	out := make([]*pattern, 0, len(order))
	for _, m := range order {
		out = append(out, byMsg[m])
	}
	return out
}

// consumerRegexp makes a regexp of a message with %s placeholders.
func consumerRegexp(msg string) string {
	parts := strings.Split(msg, "%s")
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			if i == len(parts)-1 && p == "" {
				b.WriteString(`([^\n]+)`)
			} else {
				b.WriteString(`([^\n]*?)`)
			}
		}
		b.WriteString(regexp.QuoteMeta(p))
	}
	return strings.TrimSuffix(b.String(), `\.`) + `\.?`
}

// ownFileCauses are the causes of a lint rule's QEMU or libvirt message:
// the causes whose lint rules include id, except that a message QEMU
// prints about its own files (at load, as qemu-system-x86_64 7.2 prints
// "Our own certificate ... failed validation against ...: The certificate
// hasn't got a known issuer" when a migration source's certificate is not
// issued by a CA of its ca-cert.pem, measured) is no server's refusal of
// a client certificate: that cause goes last. The messages QEMU prints
// about the peer (a host name, an allow-list) keep their order.
func ownFileCauses(id string) []string {
	out := causesOfRule(id)
	if peerCheckRules[id] || strings.HasPrefix(id, "manifest-") {
		return out
	}
	if i := slices.Index(out, cause.ClientCertRejected); i >= 0 && len(out) > 1 {
		out = append(slices.Delete(out, i, i+1), cause.ClientCertRejected)
	}
	return out
}

// peerCheckRules are the lint rules whose QEMU message is printed when
// QEMU checks the peer, not its own files.
var peerCheckRules = map[string]bool{"host-not-covered": true}

// causesOfRule lists the causes whose lint rules include id.
func causesOfRule(id string) []string {
	var out []string
	for _, c := range cause.All() {
		if slices.Contains(c.Lint, id) {
			out = append(out, c.ID)
		}
	}
	return out
}

// alertRefine explains an alert given by number (sub[1]) or name.
func alertRefine(byNumber bool) func(e *Explanation, sub []string, text string) bool {
	return func(e *Explanation, sub []string, text string) bool {
		var a Alert
		var ok bool
		if byNumber {
			n, err := strconv.Atoi(sub[1])
			if err != nil || n > 255 {
				return false
			}
			a, ok = AlertByNumber(uint8(n))
		} else {
			// The name may run into the words after it: try the longest
			// prefix of words that names an alert.
			words := strings.Fields(sub[1])
			for n := len(words); n > 0 && !ok; n-- {
				a, ok = AlertByName(strings.Join(words[:n], " "))
			}
		}
		if !ok {
			return false
		}
		e.Alert = &a
		e.Meaning = "TLS alert " + strconv.Itoa(int(a.Number)) + " " + a.Name + ": " + a.Meaning
		e.Side = "the side that prints this received the alert: its peer aborted the handshake and knows the precise reason (read the peer's log)"
		e.Causes = alertCauses(a.Number)
		receivedAlert(e, a, printedBy(text), text)
		return true
	}
}

// alertCauses are the likely causes behind an alert, most likely first.
func alertCauses(n uint8) []string {
	switch n {
	case 40:
		// handshake_failure: no suite, group or signature algorithm in
		// common, a TLS 1.2 server that got no client certificate, and
		// (GnuTLS servers, measured with gnutls-serv 3.7.9 limited to TLS
		// 1.3) no version in common; last, a server with no usable key
		// (coturn 4.6 logs "invalid private key" as it starts, keeps
		// running and answers every ClientHello so: it has no suite it
		// can sign for; measured in round 45).
		return []string{cause.NoSharedCipher, cause.ClientCertRequired, cause.Version, cause.LoadFailed}
	case 42:
		return []string{cause.ClientCertRejected, cause.UnknownCA, cause.NameMismatch, cause.Expired}
	case 43:
		return []string{cause.ClientCertRejected, cause.ServerEKU}
	case 44:
		return []string{cause.Revoked}
	case 45:
		return []string{cause.Expired, cause.NotYetValid}
	case 46, 49:
		return []string{cause.ClientCertRejected}
	case 48:
		return []string{cause.UnknownCA, cause.MissingIntermediate, cause.ClientCertRejected}
	case 51:
		// decrypt_error: the receiver's handshake signature (or
		// Finished) did not verify for its peer: signed with a key that
		// is not its certificate's (measured: a client's log of Botan's
		// tls_server serving another certificate's key, round 24).
		return []string{cause.LoadFailed, cause.Alert}
	case 70:
		return []string{cause.Version}
	case 71:
		return []string{cause.NoSharedCipher}
	case 80:
		return []string{cause.ServerError}
	case 112:
		return []string{cause.UnrecognizedName}
	case 116:
		return []string{cause.ClientCertRequired}
	case 120:
		return []string{cause.ALPN}
	}
	return []string{cause.Alert}
}

// goTimesRefine reads Go's "current time A is after/before B" and adds
// the gap, with a clock-skew hint when it is under a day.
func goTimesRefine(e *Explanation, sub []string, _ string) bool {
	now, err1 := time.Parse(time.RFC3339, sub[1])
	bound, err2 := time.Parse(time.RFC3339, sub[3])
	if err1 != nil || err2 != nil {
		return true
	}
	gap := now.Sub(bound)
	if gap < 0 {
		gap = -gap
	}
	e.Meaning += " (" + human(gap) + " apart)"
	if gap < 24*time.Hour {
		e.Meaning += "; a gap under a day often means a clock is off on one of the hosts, or a just-renewed certificate has not been loaded"
	}
	return true
}

// curlRefine explains curl's exit codes.
func curlRefine(e *Explanation, sub []string, text string) bool {
	code, _ := strconv.Atoi(sub[1])
	c, ok := curlCodes[code]
	if !ok {
		return false
	}
	e.Meaning = "curl exit code " + sub[1] + ": " + c.meaning
	e.Causes = c.causes
	if code == 52 || code == 55 || code == 56 {
		e.Causes = hangUpCauses(text, code == 52)
	}
	if code == 28 && curlNothingReceived.MatchString(text) {
		e.Meaning = "curl exit code 28: the connection was made but the server sent nothing in time: a protocol where the server speaks first (SMTP, IMAP, POP3, FTP) pointed at an implicit-TLS port waits for a greeting that the TLS server, waiting for a ClientHello, never sends (use smtps://, imaps://, pop3s://, ftps://), or the server is stalled"
		e.Causes = []string{cause.Timeout, cause.PlaintextToTLS}
	}
	if code == 56 && curlPlainRecv.MatchString(text) {
		e.Meaning = "curl exit code 56: a read without TLS failed (curl names its TLS reads \"SSL_read\" or \"recv error\"): with http:// against a TLS port, the TLS server resets the plain-text request"
	}
	if c.rules != nil {
		e.Rules = c.rules
	}
	return true
}

// curlNothingReceived is curl's timeout after connecting when not one
// byte came back (measured: curl 7.88 prints "Operation timed out after
// 8000 milliseconds with 0 bytes received" for imap:// against Dovecot's
// imaps port).
var curlNothingReceived = lazyregexp.New(`curl: \(28\) Operation timed out after \d+ milliseconds with 0 (?:out of -?\d+ )?bytes received`)

// curlPlainRecv is curl's failed read on a connection without TLS:
// curl names its TLS reads ("OpenSSL SSL_read: ...", "GnuTLS recv
// error"), and a handshake that fails is exit code 35.
var curlPlainRecv = lazyregexp.New(`curl: \(56\) Recv failure: `)

// plainSocketReset is a reset read on a socket without TLS, as the
// client names it: curl's bare receive failure, Node.js's TCP handle
// (its TLS sockets read through TLSWrap: measured, a reset during the
// handshake is "at TLSWrap.onStreamRead", plain HTTP to a TLS port "at
// TCP.onStreamRead").
var plainSocketReset = lazyregexp.New(`curl: \(56\) Recv failure: |ECONNRESET\s+at TCP\.onStreamRead`)

var curlCodes = map[int]struct {
	meaning string
	causes  []string
	rules   []string
}{
	6:  {"could not resolve the host name", []string{cause.DNS}, nil},
	7:  {"could not connect (refused or unreachable)", []string{cause.Refused, cause.Unreachable}, nil},
	28: {"the operation timed out", []string{cause.Timeout}, nil},
	35: {"the TLS handshake failed; the rest of the message (an OpenSSL or GnuTLS error, often an alert) says how", []string{cause.Alert, cause.Version, cause.NoSharedCipher, cause.ClientCertRequired, cause.NotTLS}, nil},
	51: {"the server's certificate does not match the host name in the URL", []string{cause.NameMismatch}, nil},
	52: {"the server closed the connection without a reply: with http:// against a TLS port, the TLS server drops the plain-text request", []string{cause.PlaintextToTLS, cause.Reset}, nil},
	56: {"receiving failed: the connection was reset or closed, often after the server refused the client certificate", []string{cause.Reset, cause.ClientCertRequired, cause.ClientCertRejected}, nil},
	58: {"the local client certificate or key could not be used (--cert/--key: wrong file, format, password, or a key that does not match)", []string{cause.LoadFailed}, []string{"key-mismatch", "file-invalid", "key-encrypted-no-password", "identity-unpaired"}},
	60: {"the server's certificate could not be verified with the CA bundle (--cacert); the text after it says why", []string{cause.UnknownCA, cause.MissingIntermediate, cause.SelfSigned, cause.Expired, cause.NameMismatch}, nil},
	77: {"the CA bundle (--cacert/--capath) could not be read", []string{cause.LoadFailed}, []string{"file-missing", "file-unreadable", "file-invalid"}},
	90: {"the server's public key does not match --pinnedpubkey", []string{cause.CertInvalid}, []string{}},
}

// Headline ranks the causes behind a whole text (all the explanations
// of one program's output): the most likely first. A specific message
// outweighs a frame around it and a message that only says the peer hung
// up.
func Headline(es []Explanation) []string {
	var out []string
	for _, e := range es {
		if e.first {
			for _, c := range e.Causes {
				if !slices.Contains(out, c) {
					out = append(out, c)
				}
			}
		}
	}
	for _, strong := range []bool{true, false} {
		for _, e := range es {
			if e.wrapper || e.generic == strong {
				continue
			}
			for _, c := range e.Causes {
				if !slices.Contains(out, c) {
					out = append(out, c)
				}
			}
		}
	}
	for _, e := range es {
		for _, c := range e.Causes {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	// An unrecognized_name alert followed by a message that names a
	// certificate name mismatch was a warning: the handshake went on to
	// the certificate, and its name is what failed (measured: Botan's
	// tls_server warns so and sends the certificate it has, round 24).
	i, j := slices.Index(out, cause.UnrecognizedName), slices.Index(out, cause.NameMismatch)
	if i >= 0 && j > i && slices.ContainsFunc(es, func(e Explanation) bool { return len(e.Causes) > 0 && e.Causes[0] == cause.NameMismatch }) {
		out = slices.Insert(slices.Delete(out, j, j+1), i, cause.NameMismatch)
	}
	return out
}

// filterByLiteral turns off Explain's required-literal filter in the test
// that checks the filter changes nothing.
var filterByLiteral = true

// requiredLiterals are literals, their ASCII letters in lower case, one
// of which every match of expr contains, or nil when there are none
// (lazyregexp.Literals; case-folded ones are ASCII). Explain looks for
// them in the text with its ASCII letters in lower case.
func requiredLiterals(expr string) []string {
	lits, _ := lazyregexp.Literals(expr)
	for i, l := range lits {
		lits[i] = asciiLower(l)
	}
	return lits
}

// foldKS replaces the two letters that fold to ASCII ones, the Kelvin
// sign and the long s, with k and s. A replacement rune for rune keeps
// every substring a substring, so a literal in a text is one in the
// replaced text, with offsets moved.
var foldKS = strings.NewReplacer("\u212a", "k", "\u017f", "s")

// asciiLower is s with its ASCII letters in lower case, and every other
// byte as it is: the same length, so that offsets in it are offsets in s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// withinLines reports that no match of expr holds a newline and that
// expr does not anchor at the text's start or end (^ and $ without (?m)),
// so that its matches in a text are its matches in each line.
func withinLines(expr string) bool {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return false
	}
	var ok func(re *syntax.Regexp) bool
	ok = func(re *syntax.Regexp) bool {
		switch re.Op {
		case syntax.OpLiteral:
			if slices.Contains(re.Rune, '\n') {
				return false
			}
		case syntax.OpCharClass:
			for i := 0; i+1 < len(re.Rune); i += 2 {
				if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
					return false
				}
			}
		case syntax.OpAnyChar, syntax.OpBeginText, syntax.OpEndText:
			return false
		}
		return !slices.ContainsFunc(re.Sub, func(sub *syntax.Regexp) bool { return !ok(sub) })
	}
	return ok(re)
}

// findInLines is p.re.FindAllStringSubmatchIndex(text, n) for a pattern
// whose matches lie within lines (withinLines), run only on the lines of
// text that hold one of p.needs (lower is text in lower case).
func (p *pattern) findInLines(text, lower string, n int) [][]int {
	var starts []int // of the lines that hold a literal
	for _, lit := range p.needs {
		for at := 0; ; {
			i := strings.Index(lower[at:], lit)
			if i < 0 {
				break
			}
			i += at
			starts = append(starts, strings.LastIndexByte(text[:i], '\n')+1)
			end := strings.IndexByte(text[i:], '\n')
			if end < 0 {
				break
			}
			at = i + end + 1 // the next line
		}
	}
	slices.Sort(starts)
	var all [][]int
	for _, start := range slices.Compact(starts) {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		for _, m := range p.re.FindAllStringSubmatchIndex(text[start:end], n-len(all)) {
			for i := range m {
				if m[i] >= 0 {
					m[i] += start
				}
			}
			all = append(all, m)
		}
		if len(all) == n {
			break
		}
	}
	return all
}
