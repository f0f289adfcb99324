package manifest_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/creds/manifest"
)

// laughs is a manifest whose endpoints alias lists of aliases: levels
// deep, each level ten times the one below (a "billion laughs").
func laughs(levels int) string {
	var b strings.Builder
	b.WriteString("objects:\n  - &o {id: tls0, endpoint: server, dir: d}\nsecrets:\n")
	b.WriteString("  - &l0 {id: s0, file: f, x: [a, a, a, a, a, a, a, a, a, a]}\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "  - &l%d {id: s%d, file: f, x: [%s]}\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 10), ", "))
	}
	fmt.Fprintf(&b, "endpoints:\n  - {name: e, role: server, objects: [tls0], hosts: [*l%d]}\n", levels)
	return b.String()
}

func TestAliasAmplificationRefused(t *testing.T) {
	data := laughs(9) // 10^9 nodes as expanded, under 1 KB as written
	_, err := manifest.Parse("bomb.yaml", "/base", []byte(data))
	var me *manifest.Error
	if !errors.As(err, &me) || !strings.Contains(err.Error(), "aliases (*name) expand it to more than") || !strings.HasPrefix(err.Error(), "bomb.yaml:") {
		t.Fatalf("Parse of a %d-byte alias bomb: %v, want a located refusal naming the aliases", len(data), err)
	}
}

func TestSharedAnchorsAccepted(t *testing.T) {
	var b strings.Builder
	b.WriteString("objects:\n  - {id: tls0, endpoint: server, dir: d}\nendpoints:\n")
	b.WriteString("  - {name: e0, role: server, objects: [tls0], hosts: &hosts [a.example.com, b.example.com, c.example.com]}\n")
	for i := 1; i < 500; i++ {
		fmt.Fprintf(&b, "  - {name: e%d, role: server, objects: [tls0], hosts: *hosts}\n", i)
	}
	if _, err := manifest.Parse("shared.yaml", "/base", []byte(b.String())); err != nil {
		t.Fatalf("a manifest sharing one host list by anchor: %v", err)
	}
}

func TestListsAndErrorsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("objects:\n")
	for i := 0; i <= manifest.MaxListItems; i++ {
		b.WriteString("  - x\n")
	}
	_, err := manifest.Parse("long.yaml", "/base", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("more than the %d a manifest may declare", manifest.MaxListItems)) {
		t.Errorf("a list of %d objects: %v", manifest.MaxListItems+1, err)
	}
	b.Reset()
	b.WriteString("objects:\n")
	for range 1000 {
		b.WriteString("  - x\n")
	}
	_, err = manifest.Parse("bad.yaml", "/base", []byte(b.String()))
	var j interface{ Unwrap() []error }
	if !errors.As(err, &j) || len(j.Unwrap()) > 201 || !strings.Contains(err.Error(), "more problems not shown") {
		t.Errorf("1,000 bad objects: want at most 200 problems and a count of the rest, got %d bytes of errors", len(fmt.Sprint(err)))
	}
}
