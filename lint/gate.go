package lint

import (
	"fmt"
	"strings"

	"github.com/tlscreds/tlscreds/creds"
)

// GateError is returned by the check of [LoadCheck]: the findings at or
// above error that made the object unfit to load.
type GateError struct {
	Findings []Finding
}

func (e *GateError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d lint error(s):", len(e.Findings))
	for _, f := range e.Findings {
		fmt.Fprintf(&b, " [%s] %s;", f.Rule, f.Message)
	}
	return strings.TrimSuffix(b.String(), ";")
}

// LoadCheck returns a function for [creds.LoadOptions.Check]: it runs
// every rule and refuses the object when any finding is an error in the
// options' profile. With it, a registry loads and reloads only objects
// that the profile's consumer would accept (QEMU's sanity-check=on).
func LoadCheck(o Options) func(*creds.Material) error {
	return func(m *creds.Material) error {
		var errs []Finding
		for _, f := range Run(m, o) {
			if f.Severity >= Error {
				errs = append(errs, f)
			}
		}
		if len(errs) > 0 {
			return &GateError{Findings: errs}
		}
		return nil
	}
}
