package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/inspect"
)

// writeInspectObject renders one object for humans.
func writeInspectObject(w io.Writer, o *inspect.Object) error {
	if o.Source == "file" {
		fmt.Fprintf(w, "%s (%s)\n", cell(o.Path), encodingText(o))
	} else {
		what := o.Path
		if what == "" {
			what = "object " + o.ID
		}
		fmt.Fprintf(w, "%s (%s)\n", cell(what), cell(o.Spec))
		layoutReason := strings.TrimPrefix(o.LayoutReason, "layout "+o.Layout+" detected (")
		if layoutReason != o.LayoutReason {
			layoutReason = "detected: " + strings.TrimSuffix(layoutReason, ")")
		}
		fields := []field{
			kv("Layout", fmt.Sprintf("%s (%s)", o.Layout, layoutReason)),
			kv("Endpoint", fmt.Sprintf("%s (%s)", o.Endpoint, o.EndpointReason)),
			kv("Loads", "yes"),
		}
		if o.Loads != nil && !*o.Loads {
			fields[2] = kv("Loads", "NO (QEMU would refuse it; the reason is below)")
		}
		if err := writeFields(w, 2, fields); err != nil {
			return err
		}
		if o.LoadError != "" {
			fmt.Fprintf(w, "  Load error: %s\n", cell(o.LoadError))
		}
		if err := writeFileTable(w, o.Files); err != nil {
			return err
		}
	}
	for _, c := range o.Certificates {
		fmt.Fprintf(w, "\n  Certificate %d of %s\n", c.Index+1, cell(c.File))
		if err := writeFields(w, 2, certFields(&c.CertInfo)); err != nil {
			return err
		}
	}
	for _, k := range o.Keys {
		fmt.Fprintf(w, "\n  Private key %s\n", cell(k.File))
		if err := writeFields(w, 2, keyFields(k)); err != nil {
			return err
		}
	}
	notFound := "not found in the CA file"
	if o.Source == "file" {
		notFound = "not in this file"
	}
	for _, ch := range o.Chains {
		fmt.Fprintf(w, "\n  Chain of %s\n", cell(ch.File))
		writeChainTree(w, ch.Links, notFound)
	}
	return nil
}

// writeFileTable lists the files found, and those required but missing;
// the optional files looked for but absent go on one line below.
func writeFileTable(w io.Writer, files []creds.FileSummary) error {
	fmt.Fprintln(w, "\n  Files")
	var rows [][]string
	var absent []string
	for _, f := range files {
		switch {
		case f.Present:
			rows = append(rows, []string{f.Path, string(f.Role), "yes", fmt.Sprint(f.Size), f.Mode, strings.TrimPrefix(f.Error, f.Path+": ")})
		case f.Required:
			rows = append(rows, []string{f.Path, string(f.Role), "MISSING (required)", "", "", ""})
		default:
			absent = append(absent, filepath.Base(f.Path))
		}
	}
	var b strings.Builder
	if err := writeTable(&b, []string{"FILE", "ROLE", "PRESENT", "SIZE", "MODE", "PROBLEM"}, rows); err != nil {
		return err
	}
	if err := writeIndented(w, 2, b.String()); err != nil {
		return err
	}
	if len(absent) > 0 {
		fmt.Fprintf(w, "  Also looked for (optional, absent): %s\n", cell(strings.Join(absent, ", ")))
	}
	return nil
}

func encodingText(o *inspect.Object) string {
	switch o.Encoding {
	case creds.EncodingDER:
		return "DER; QEMU and libvirt read PEM only: convert with `openssl x509 -inform DER -in FILE -out FILE.pem`"
	case creds.EncodingPKCS12:
		return "PKCS#12"
	}
	return "PEM"
}

const timeLayout = "2006-01-02 15:04:05 UTC"

func certFields(ci *creds.CertInfo) []field {
	left := fmt.Sprintf("%d days left", ci.DaysLeft)
	switch {
	case ci.DaysLeft < 0:
		left = fmt.Sprintf("EXPIRED %d days ago", -ci.DaysLeft)
	case ci.DaysLeft == 1:
		left = "1 day left"
	}
	key := strings.TrimSpace(fmt.Sprintf("%s %s", ci.KeyAlgorithm, ci.Curve))
	if ci.Curve == "" {
		key = fmt.Sprintf("%s %d", ci.KeyAlgorithm, ci.KeyBits)
	}
	bc := "absent"
	if ci.BasicConstraints.Present {
		bc = "CA:FALSE"
		if ci.IsCA {
			bc = "CA:TRUE"
		}
		if ci.PathLen != nil {
			bc += fmt.Sprintf(", pathlen:%d", *ci.PathLen)
		}
		bc += critical(ci.BasicConstraints)
	}
	selfSigned := "no"
	if ci.SelfSigned {
		selfSigned = "yes"
	}
	return []field{
		kv("Subject", ci.Subject),
		kv("Subject (RFC 4514)", ci.SubjectRFC4514),
		kv("Issuer", ci.Issuer),
		{"SANs", ci.SANs.All()},
		kv("Not before", ci.NotBefore.Format(timeLayout)),
		kv("Not after", fmt.Sprintf("%s (%s)", ci.NotAfter.Format(timeLayout), left)),
		kv("Key", key),
		kv("Signature", ci.SignatureAlgorithm),
		kv("Serial", ci.Serial),
		kv("Basic constraints", bc),
		kv("Key usage", usageText(ci.KeyUsage)),
		kv("Extended key usage", usageText(ci.ExtKeyUsage)),
		kv("Subject key ID", ci.SubjectKeyID),
		kv("Authority key ID", ci.AuthorityKeyID),
		kv("Self-signed", selfSigned),
		kv("SHA-256 fingerprint", ci.SHA256Fingerprint),
		{"SPKI pins", []string{ci.SPKISHA256, fmt.Sprintf("pin-sha256=%q", ci.PinSHA256)}},
	}
}

func critical(e creds.Extension) string {
	if e.Critical {
		return " (critical)"
	}
	return ""
}

func usageText(u creds.Usage) string {
	if !u.Present {
		return "absent"
	}
	return strings.Join(u.Names, ", ") + critical(u.Extension)
}

func keyFields(k inspect.Key) []field {
	enc := "no"
	if k.Encrypted {
		enc = "yes"
		if k.Cipher != "" {
			enc += ", " + k.Cipher
		}
	}
	key := k.Algorithm
	switch {
	case k.Algorithm == "" && k.Encrypted:
		key = "unknown until decrypted (give --password-file)"
	case k.Curve != "":
		key += " " + k.Curve
	case k.Bits > 0:
		key += fmt.Sprintf(" %d", k.Bits)
	}
	format := k.Format
	if format == "" {
		format = "inside PKCS#12"
	}
	return []field{kv("Format", format), kv("Encrypted", enc), kv("Key", key), kv("Problem", k.Error)}
}

// writeChainTree prints the chain from the leaf down to its root, each
// issuer one level deeper. notFound words the status of a missing issuer.
func writeChainTree(w io.Writer, links []creds.ChainLink, notFound string) {
	for i, l := range links {
		var notes []string
		switch {
		case l.Status == creds.LinkNotFound:
			notes = append(notes, notFound)
		case i > 0:
			notes = append(notes, l.Status)
		}
		if l.SelfSigned {
			notes = append(notes, "self-signed")
		}
		switch l.From {
		case "chain":
			notes = append(notes, fmt.Sprintf("certificate %d of the same file", l.Index+1))
		case "ca":
			notes = append(notes, fmt.Sprintf("certificate %d of the CA file", l.Index+1))
		}
		prefix := "    "
		if i > 0 {
			prefix += strings.Repeat("   ", i-1) + "└─ "
		}
		line := prefix + cell(l.Subject)
		if l.Cert == nil {
			line = prefix + "issuer " + cell(l.Subject)
		}
		if len(notes) > 0 {
			line += "  [" + strings.Join(notes, ", ") + "]"
		}
		fmt.Fprintln(w, line)
	}
}
