package lint_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/lint"
)

// Linting a credential directory as a library: detect its layout and
// endpoint, read it once, run every rule of a profile.
func ExampleCheck() {
	dir, _ := os.MkdirTemp("", "creds")
	defer os.RemoveAll(dir)
	b, _ := fixtures.LookupBroken("leaf-eku-wrong-purpose")
	if err := b.Write(fixtures.New(fixtures.TestClock), dir); err != nil {
		panic(err)
	}
	t, err := lint.DirTarget("tls0", dir, "")
	if err != nil {
		panic(err)
	}
	res := lint.Check(t, lint.Options{Profile: lint.ProfileQEMU, Now: fixtures.TestClock})
	fmt.Println(res.Endpoint, res.Status)
	for _, f := range res.Findings {
		fmt.Println(f.Severity, f.Rule)
		// The message QEMU prints, with the path as given in dir=.
		fmt.Println("QEMU says:", strings.ReplaceAll(f.Consumer, dir, "DIR"))
	}
	// Output:
	// server error
	// error leaf-eku-wrong-purpose
	// QEMU says: Certificate DIR/server-cert.pem purpose does not allow use with a TLS server
}
