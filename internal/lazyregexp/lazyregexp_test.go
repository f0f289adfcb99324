package lazyregexp

import (
	"regexp"
	"slices"
	"sync"
	"testing"
)

func TestCompiledOnFirstUse(t *testing.T) {
	r := &Regexp{expr: `^(\w+)@(\w+)$`}
	if r.rx != nil {
		t.Fatal("compiled before use")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if m := r.FindStringSubmatch("user@host"); len(m) != 3 || m[2] != "host" {
				t.Errorf("FindStringSubmatch = %q", m)
			}
		})
	}
	wg.Wait()
	if !r.MatchString("a@b") || r.MatchString("a b") {
		t.Error("MatchString")
	}
	if got := r.ReplaceAllString("a@b", "$2@$1"); got != "b@a" {
		t.Errorf("ReplaceAllString = %q", got)
	}
}

// In a test binary New compiles at once: a bad pattern panics when its
// package initialises.
func TestNewCompilesInTests(t *testing.T) {
	if !inTest {
		t.Fatal("inTest is false in a test binary")
	}
	if New(`x+`).rx == nil {
		t.Error("New did not compile in a test binary")
	}
	defer func() {
		if recover() == nil {
			t.Error("New accepted a bad pattern")
		}
	}()
	New(`(`)
}

func TestLiterals(t *testing.T) {
	for _, c := range []struct {
		expr string
		want []string
		fold bool
	}{
		{`(?i)certificate (has )?expired`, []string{"certificate "}, true},
		{`unknown ca|Bad Certificate`, []string{"unknown ca", "Bad Certificate"}, false},
		{`(?i)SSL_ERROR_SYSCALL|(?:read|write):errno=(?:104|32)\b`, []string{"ssl_error_syscall", ":errno="}, true},
		{`alert (\d+)`, []string{"alert "}, false},
		{`(?:Empty reply)+ from`, []string{"Empty reply"}, false},
		{`\b(unknown_ca|bad_certificate)\b`, []string{"unknown_ca", "bad_certificate"}, false},
		{`unknown ca|a*`, nil, false}, // the second matches anything
		{`a*b?`, nil, false},
		{`café|x`, []string{"café", "x"}, false},
		{`(?i)café au lait`, nil, false}, // folded, not ASCII
		{"\uFFFD", nil, false},           // matches bytes that are not UTF-8
		{`(`, nil, false},
	} {
		got, fold := Literals(c.expr)
		if !slices.Equal(got, c.want) || fold != c.fold {
			t.Errorf("Literals(%q) = %q, %v, want %q, %v", c.expr, got, fold, c.want, c.fold)
		}
	}
}

// The literal check only saves time: every method answers as the
// regexp package does.
func TestLiteralCheckChangesNothing(t *testing.T) {
	exprs := []string{`unknown ca|bad certificate`, `(?i)Unknown CA`, `alert (\d+)`, `^x*$`, "caf\u00e9 (\\w+)", "\uFFFD"}
	texts := []string{"", "alert 48", "ALERT 48", "tlsv1 alert unknown ca", "UNKNOWN CA", "café au", "caf\xe9 au", "\xff", "xxx"}
	for _, expr := range exprs {
		r, want := New(expr), regexp.MustCompile(expr)
		for _, s := range texts {
			if r.MatchString(s) != want.MatchString(s) ||
				!slices.Equal(r.FindStringSubmatch(s), want.FindStringSubmatch(s)) ||
				len(r.FindSubmatch([]byte(s))) != len(want.FindSubmatch([]byte(s))) ||
				len(r.FindAllStringSubmatch(s, -1)) != len(want.FindAllStringSubmatch(s, -1)) {
				t.Errorf("%q on %q: answers differ from regexp's", expr, s)
			}
		}
	}
}
