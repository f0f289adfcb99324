package qemudiff

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/cryptotest"
	"time"

	"github.com/tlscreds/tlscreds/fixtures"
	"github.com/tlscreds/tlscreds/fixtures/differential"
)

// hostileDiffCases are the malformed directories of fixtures.HostileSets
// as differential cases.
func hostileDiffCases(t *testing.T) []diffCase {
	cryptotest.SetGlobalRandom(t, 14)
	// A fixed clock: every certificate of the hostile sets is valid to
	// 2049 (fixtures.HostileNotAfter), so the cases keep their bytes and
	// the verdict cache hits across hours, not only within one.
	g := fixtures.New(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	qcs, err := differential.HostileQEMUCases(g)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]diffCase, len(qcs))
	for i, q := range qcs {
		out[i] = diffCase{c: q.Case, spec: q.ObjectSpec, bullet: q.Bullet}
		if q.Password != "" {
			out[i].secret = "secret,id=sec0,data=" + q.Password
		}
	}
	return out
}

// TestHostileDifferential runs every malformed-file class of docs/hostile-input.md
// (fixtures.HostileSets) through the four real QEMU builds and lint in
// each build's profile, through the same harness and verdict cache as
// TestQEMUVersionsDifferential, and fails on any disagreement: lint
// passes (no error) exactly when that QEMU loads the directory. A
// directory QEMU loads but Go cannot parse must pass with a peers-refuse
// warning, never a file-invalid error. Where they agree, QEMU's first
// error line must be lint's consumer_first_message (hostileFirstExemptions
// lists the reason texts lint does not reproduce yet). It logs the table class x binary
// verdict x lint verdict ($TLSCREDS_HOSTILE_TABLE writes it to a file).
func TestHostileDifferential(t *testing.T) {
	cases := hostileDiffCases(t)
	classes := map[string]bool{}
	for _, c := range cases {
		classes[c.bullet] = true
	}
	for _, want := range []string{"pem-header", "der-trailing", "der-time", "der-version", "der-serial", "der-san", "der-string", "pem-framing", "key-empty-password", "ca-bundle-size"} {
		if !classes["hostile/"+want] {
			t.Errorf("the hostile generator has no case of class %s", want)
		}
	}
	results := runDifferential(t, cases)
	exemptSeen := map[string]bool{}
	var table strings.Builder
	table.WriteString("| class | case | QEMU 10.2 / 10.1 / 10.0 / 7.2 | lint (same profiles) |\n|---|---|---|---|\n")
	for i, dc := range cases {
		var qv, lv []string
		for j, b := range qemuBinaries {
			r := results[i][j]
			if r.qemu.Code != -1 && r.ok == r.qemu.OK() {
				fe := firstErrorMismatch(r.qemu, r.first)
				_, exempt := hostileFirstExemptions[dc.c.Name]
				switch {
				case fe != "" && exempt:
					exemptSeen[dc.c.Name] = true
				case fe != "":
					t.Errorf("%s @ %s: %s", dc.c.Name, b.profile, fe)
				}
			}
			qv = append(qv, map[bool]string{true: "loads", false: "refuses"}[r.qemu.OK()])
			switch {
			case !r.ok:
				lv = append(lv, "error "+ruleIDs(r.lintE))
			case len(r.lintW) > 0:
				lv = append(lv, "pass, warning "+ruleIDs(r.lintW))
			default:
				lv = append(lv, "pass")
			}
		}
		class, variant, _ := strings.Cut(strings.TrimPrefix(dc.c.Name, "hostile/"), "/")
		fmt.Fprintf(&table, "| %s | %s | %s | %s |\n", class, variant, squeeze(qv), squeeze(lv))
	}
	for name := range hostileFirstExemptions {
		if !exemptSeen[name] && !t.Failed() {
			t.Errorf("%s: exempt from the first-error check, but lint's consumer_first_message is QEMU's line on every build: remove the exemption", name)
		}
	}
	t.Logf("hostile differential (%d cases):\n%s", len(cases), table.String())
	if out := os.Getenv("TLSCREDS_HOSTILE_TABLE"); out != "" {
		os.WriteFile(out, []byte(table.String()), 0o644)
	}
}

// hostileFirstExemptions are the hostile cases whose line QEMU stops at
// lint does not yet quote exactly, with the reason. They are not order
// problems (lint quotes the right step of QEMU's loader) but GnuTLS reason
// texts lint does not reproduce. Every other hostile case must have
// consumer_first_message equal to QEMU's first error line on every build.
var hostileFirstExemptions = map[string]string{
	"hostile/der-time/utctime-plus-offset":              `GnuTLS says "The DER time encoding is invalid.", lint "ASN1 parser: Error in DER parsing."`,
	"hostile/der-time/utctime-minus-offset":             `GnuTLS says "The DER time encoding is invalid.", lint "ASN1 parser: Error in DER parsing."`,
	"hostile/der-version/v1-with-extensions":            `GnuTLS says "Error in the certificate.", lint "ASN1 parser: Error in DER parsing."`,
	"hostile/der-version/v2-with-extensions":            `GnuTLS says "Error in the certificate.", lint "ASN1 parser: Error in DER parsing."`,
	"hostile/pem-header/key-sec1-proc-type-dek-info":    `up to 10.1 GnuTLS says "The request is invalid." for this legacy-PEM key without a password, lint "Decryption has failed."; other legacy-PEM keys without one do fail with "Decryption has failed." (keys/legacy-pem-without-password): what separates them is not measured yet`,
	"hostile/key-empty-password/legacy-pem-no-password": `as hostile/pem-header/key-sec1-proc-type-dek-info`,
}

// ruleIDs are the distinct rule IDs of "rule: message" findings.
func ruleIDs(fs []string) string {
	var ids []string
	for _, f := range fs {
		id, _, _ := strings.Cut(f, ":")
		if !strings.Contains(" "+strings.Join(ids, " ")+" ", " "+id+" ") {
			ids = append(ids, id)
		}
	}
	return strings.Join(ids, " ")
}

// squeeze writes four equal verdicts once.
func squeeze(v []string) string {
	for _, x := range v[1:] {
		if x != v[0] {
			return strings.Join(v, " / ")
		}
	}
	return v[0] + " (all)"
}
