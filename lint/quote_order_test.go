package lint

import "testing"

// TestConsumerFirst: the error of the smallest loader step wins, whatever
// its place in the listing, waived or not (QEMU knows no waivers);
// warnings and errors that quote nothing never do; an unknown step comes
// after every known one.
func TestConsumerFirst(t *testing.T) {
	f := func(sev Severity, consumer string, step int) Finding {
		return Finding{Severity: sev, Consumer: consumer, step: step}
	}
	waived := f(Error, "waived", 1)
	waived.Waiver = &Waiver{}
	tests := []struct {
		name string
		fs   []Finding
		want string
	}{
		{"none", nil, ""},
		{"warning only", []Finding{f(Warning, "warning: x", 1)}, ""},
		{"loader order, not listing order", []Finding{f(Error, "no issuer", 480), f(Error, "key mismatch", 200)}, "key mismatch"},
		{"listing order among equals", []Finding{f(Error, "a", 300), f(Error, "b", 300)}, "a"},
		{"unknown step last", []Finding{f(Error, "unknown", 0), f(Error, "known", 900)}, "known"},
		{"waived counts, unquoted skipped", []Finding{f(Error, "", 0), waived, f(Error, "kept", 3)}, "waived"},
	}
	for _, tt := range tests {
		if got := consumerFirst(tt.fs); got != tt.want {
			t.Errorf("%s: consumerFirst = %q, want %q", tt.name, got, tt.want)
		}
	}
}
