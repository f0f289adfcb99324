package gnutlsprio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/fixtures/differential"
	"github.com/tlscreds/tlscreds/fixtures/peer"
)

// The GnuTLS build the tables were measured on (Debian 12's libgnutls30).
const provenCLI = "gnutls-cli 3.7.9"

// cliVerdict is gnutls_priority_init's verdict as `gnutls-cli --list
// --priority=S` prints it: "Syntax error at: REST" (GNUTLS_E_INVALID_REQUEST,
// REST being the string from err_pos on) or "Error in priorities: STRERROR".
type cliVerdict struct {
	code int
	rest string // for ErrInvalidRequest: the string from the error position
}

// runCLI asks gnutls-cli (whose exact version string is ver) about s,
// through the differential runner's verdict cache: the standard error of
// `gnutls-cli --list --priority=S` is cached under the string and the
// version, so a warm run starts no process.
func runCLI(t *testing.T, r *differential.Runner, ver, s string) cliVerdict {
	t.Helper()
	c := differential.Case{Name: "gnutls-priority", Args: []string{"--list", "--priority=" + s}}
	v, err := r.Do(context.Background(), c, []string{"gnutls-cli --list --priority", ver}, func(ctx context.Context, _ string) (differential.Verdict, error) {
		ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, "gnutls-cli", c.Args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		v := differential.Verdict{Output: stderr.String()}
		var ee *exec.ExitError
		switch {
		case ctx.Err() != nil:
			v.Code = -1
		case errors.As(err, &ee):
			v.Code = ee.ExitCode()
		case err != nil:
			return v, err
		}
		return v, nil
	})
	if err != nil {
		t.Fatalf("gnutls-cli --list --priority=%q: %v", s, err)
	}
	if v.Code == -1 {
		t.Fatalf("gnutls-cli --list --priority=%q: timed out", s)
	}
	line, _, _ := strings.Cut(v.Output, "\n")
	switch {
	case strings.HasPrefix(line, "Syntax error at: "):
		// err_pos runs to the end of the string, which may hold a newline.
		rest := strings.TrimPrefix(v.Output, "Syntax error at: ")
		rest = strings.TrimSuffix(rest, "\n")
		return cliVerdict{code: ErrInvalidRequest, rest: rest}
	case line == "Error in priorities: "+Strerror(ErrNoPriorities):
		return cliVerdict{code: ErrNoPriorities}
	case v.Code == 0:
		return cliVerdict{}
	}
	t.Fatalf("gnutls-cli --list --priority=%q: exit %d: unexpected output %q", s, v.Code, v.Output)
	return cliVerdict{}
}

func ourVerdict(s string) cliVerdict {
	err := Init(s)
	if err == nil {
		return cliVerdict{}
	}
	var e *Error
	if !errors.As(err, &e) {
		return cliVerdict{code: 1, rest: err.Error()}
	}
	v := cliVerdict{code: e.Code}
	if e.Code == ErrInvalidRequest {
		v.rest = s[e.Pos:]
	}
	return v
}

// requireCLI fails the test unless gnutls-cli 3.7.9 is installed, and
// returns its version line.
func requireCLI(t *testing.T) string {
	t.Helper()
	peer.Require(t, "gnutls-cli")
	out, err := exec.Command("gnutls-cli", "--version").Output()
	if err != nil {
		t.Fatalf("gnutls-cli --version: %v", err)
	}
	first, _, _ := strings.Cut(string(out), "\n")
	if first != provenCLI {
		t.Fatalf("gnutls-cli --version says %q; the tables are GnuTLS 3.7.9's (Debian 12's gnutls-bin and libgnutls30): measure again before trusting this package with another GnuTLS", first)
	}
	return first
}

// differentialStrings is the generated set: every keyword, every name of
// every table with each prefix, every %-flag, odd spacing and case, garbage,
// and seeded random combinations.
func differentialStrings() []string {
	set := map[string]bool{}
	add := func(s string) { set[s] = true }
	for _, l := range levels {
		for _, n := range []string{l.name, l.alias} {
			if n != "" {
				add(n)
				add(strings.ToLower(n))
				add("NONE:+" + n)
				add("NORMAL:-" + n)
			}
		}
	}
	var items []string
	for _, lst := range [][]string{macNames, cipherNames, kxNames} {
		items = append(items, lst...)
	}
	for n := range versionNames() {
		items = append(items, "VERS-"+n)
	}
	for _, n := range groupNames {
		items = append(items, "GROUP-"+n)
	}
	for _, n := range curveNames {
		items = append(items, "CURVE-"+n)
	}
	for n := range signSem() {
		items = append(items, "SIGN-"+n)
	}
	for _, n := range ctypeNames {
		items = append(items, "CTYPE-"+n, "CTYPE-CLI-"+n, "CTYPE-SRV-"+n)
	}
	items = append(items, "VERS-ALL", "VERS-TLS-ALL", "VERS-DTLS-ALL", "GROUP-ALL",
		"GROUP-DH-ALL", "GROUP-EC-ALL", "GROUP-GOST-ALL", "CURVE-ALL", "SIGN-ALL",
		"SIGN-GOST-ALL", "MAC-ALL", "MAC-GOST-ALL", "CIPHER-ALL", "CIPHER-GOST-ALL",
		"KX-ALL", "KX-GOST-ALL", "CTYPE-ALL", "CTYPE-CLI-ALL", "CTYPE-SRV-ALL",
		"COMP-NULL", "COMP-DEFLATE", "GOST", "VERS-TLS1.4", "GROUP-FOO", "SIGN-FOO",
		"CURVE-FOO", "CTYPE-FOO", "CIPHER-FOO", "MAC-FOO", "KX-FOO", "BOGUS",
		"VERS-", "SIGN-", "GROUP-", "")
	sort.Strings(items)
	for _, it := range items {
		add("NORMAL:+" + it)
		add("NORMAL:-" + it)
	}
	var flags []string
	for o := range options() {
		flags = append(flags, o)
	}
	sort.Strings(flags)
	for _, o := range flags {
		add("NORMAL:%" + o)
	}
	for _, s := range []string{
		"", " ", "NORMAL", "normal", " NORMAL", "\tNORMAL", "NORMAL ", "NORMAL:", ":NORMAL",
		"NORMAL::", "NORMAL: %COMPAT", "NORMAL:  %COMPAT", "NORMAL:%compat", "NORMAL:%",
		"NORMAL:%BOGUS", "NORMAL:+BOGUS", "BOGUS", "NONE", "none", "NORMAL:NONE",
		"@SYSTEM", " @SYSTEM", "@QEMU,SYSTEM", "@QEMU,,SYSTEM", "@SYSTEM:+VERS-TLS1.2",
		"NORMAL:@SYSTEM", "NORMAL:-VERS-ALL", "NORMAL:-CIPHER-ALL", "NORMAL:-MAC-ALL",
		"NORMAL:-KX-ALL", "NORMAL:-SIGN-ALL", "NORMAL:-VERS-TLS-ALL:+VERS-TLS1.2",
		"NORMAL:-VERS-TLS1.3", "NORMAL:%COMPAT", "LEGACY", "PERFORMANCE:+VERS-TLS1.0",
		"SECURE256", "NORMAL:-VERS-TLS-ALL:+VERS-TLS1.3:-GROUP-ALL",
		"NONE:+VERS-TLS1.2:+AES-128-GCM:+AEAD:+SIGN-ALL",
		"NONE:+VERS-TLS1.3:+AES-128-GCM:+AEAD:+SIGN-ALL",
		"NONE:+VERS-TLS1.2:+AES-128-CBC:+SHA1:+RSA:+SIGN-ECDSA-SECP256R1-SHA256",
		"NORMAL" + strings.Repeat(":%COMPAT", 126) + ":BOGUS",
		"NORMAL" + strings.Repeat(":%COMPAT", 127) + ":BOGUS",
		"NORMAL:+SIGN-\u212a", // a Kelvin sign is not an ASCII K
	} {
		add(s)
	}

	// Random combinations: a start (a keyword, NONE, or an item) and up to
	// eight elements, seeded so a failure can be replayed.
	r := rand.New(rand.NewSource(11))
	starts := []string{"NONE", "NONE", "NORMAL", "LEGACY", "SECURE192", "SUITEB128", "PERFORMANCE", "+AES-128-GCM"}
	pick := func() string {
		switch x := r.Intn(20); {
		case x < 2:
			return levels[r.Intn(len(levels))].name
		case x < 17:
			return string("+-!"[r.Intn(3)]) + items[r.Intn(len(items))]
		case x < 19:
			return "%" + flags[r.Intn(len(flags))]
		default:
			return []string{"", "BOGUS", "+VERS-TLS9", "%compat", " "}[r.Intn(5)]
		}
	}
	for i := 0; i < 300; i++ {
		el := []string{starts[r.Intn(len(starts))]}
		for n := r.Intn(9); n > 0; n-- {
			el = append(el, pick())
		}
		add(strings.Join(el, ":"))
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// TestGnuTLSCLIDifferential holds Init to the real GnuTLS: every string of
// the generated set gets the same verdict, the same error and the same error
// position from this package as from `gnutls-cli --list --priority`.
func TestGnuTLSCLIDifferential(t *testing.T) {
	ver := requireCLI(t)
	runner := differential.NewRunner(differential.DefaultCache())
	start := time.Now()
	strs := differentialStrings()
	if len(strs) < 700 {
		t.Fatalf("generated set has %d strings; expected at least 700", len(strs))
	}
	var (
		mu       sync.Mutex
		failures []string
		counts   = map[int]int{}
	)
	work := make(chan string)
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range work {
				want, got := runCLI(t, runner, ver, s), ourVerdict(s)
				mu.Lock()
				counts[want.code]++
				if want != got {
					failures = append(failures, fmt.Sprintf("%q: gnutls-cli %+v, gnutlsprio %+v", s, want, got))
				}
				mu.Unlock()
			}
		}()
	}
	for _, s := range strs {
		work <- s
	}
	close(work)
	wg.Wait()
	sort.Strings(failures)
	for _, f := range failures {
		t.Error(f)
	}
	t.Logf("%d strings: %d accepted, %d invalid, %d insufficient; %d disagreements (%.1f s; verdicts from and into the %s)",
		len(strs), counts[0], counts[ErrInvalidRequest], counts[ErrNoPriorities], len(failures), time.Since(start).Seconds(), runner.Cache)
	// A generated set that exercises only one outcome proves nothing.
	for _, c := range []int{0, ErrInvalidRequest, ErrNoPriorities} {
		if counts[c] < 50 {
			t.Errorf("only %d strings with outcome %d (%s)", counts[c], c, Strerror(c))
		}
	}
}

// TestTablesMatchGnuTLSCLI checks the algorithm tables against
// `gnutls-cli -l` of the installed GnuTLS.
func TestTablesMatchGnuTLSCLI(t *testing.T) {
	_ = requireCLI(t)
	out, err := exec.Command("gnutls-cli", "-l").Output()
	if err != nil {
		t.Fatalf("gnutls-cli -l: %v", err)
	}
	var suites []string
	lists := map[string][]string{}
	inSuites := false
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case line == "Cipher suites:":
			inSuites = true
		case inSuites && strings.HasPrefix(line, "TLS_"):
			suites = append(suites, strings.Fields(line)[0])
		case strings.Contains(line, ": "):
			inSuites = false
			k, v, _ := strings.Cut(line, ": ")
			lists[k] = strings.Split(v, ", ")
		}
	}
	var ours []string
	for _, s := range cipherSuites {
		ours = append(ours, s.name)
	}
	if strings.Join(ours, " ") != strings.Join(suites, " ") {
		t.Errorf("cipher suites differ:\n gnutls-cli: %v\n table:      %v", suites, ours)
	}
	same := func(what string, cli, table []string) {
		t.Helper()
		a, b := append([]string(nil), cli...), append([]string(nil), table...)
		sort.Strings(a)
		sort.Strings(b)
		if strings.Join(a, ",") != strings.Join(b, ",") {
			t.Errorf("%s differ:\n gnutls-cli: %v\n table:      %v", what, a, b)
		}
	}
	var ciphers []string
	for _, c := range cipherNames {
		if !missingCiphers()[c] {
			ciphers = append(ciphers, c)
		}
	}
	same("ciphers", lists["Ciphers"], ciphers)
	same("MACs", lists["MACs"], macNames)
	same("key exchanges", lists["Key exchange algorithms"], kxNames)
	// gnutls-cli -l names one GOST group per curve; GROUP- also takes the
	// other GOST parameter sets (GC256A-D, GC512A-C).
	cliGroups := map[string]bool{}
	for _, g := range lists["Groups"] {
		cliGroups[g] = true
	}
	for _, g := range groupNames {
		if !cliGroups["GROUP-"+g] && !strings.HasPrefix(g, "GC") {
			t.Errorf("group %s is not in gnutls-cli -l", g)
		}
	}
	var signs []string
	for s := range signSem() {
		signs = append(signs, "SIGN-"+s)
	}
	uniq := map[string]bool{}
	for _, s := range lists["PK-signatures"] {
		uniq[s] = true
	}
	var cliSigns []string
	for s := range uniq {
		cliSigns = append(cliSigns, s)
	}
	same("signature algorithms", cliSigns, signs)
}
