package creds

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// NewSpec gives the spec ParseSpec gives for the same object written by
// hand, commas in values included, and refuses what ParseSpec refuses.
func TestNewSpec(t *testing.T) {
	dir := "/srv/a,b/tls"
	got, err := NewSpec(KindX509, "tls0", "endpoint", "server", "dir", dir, "verify-peer", "off")
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := ParseSpec("tls-creds-x509,id=tls0,endpoint=server,dir=/srv/a,,b/tls,verify-peer=off")
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != want.Text {
		t.Errorf("Text = %q, want %q", got.Text, want.Text)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("NewSpec = %+v\nParseSpec = %+v", got, want)
	}
	if got.Dir != dir {
		t.Errorf("Dir = %q", got.Dir)
	}
	back, _, err := ParseSpec(got.String())
	if err != nil || back.Dir != dir {
		t.Errorf("String() = %q does not read back: %v", got.String(), err)
	}

	for _, tt := range []struct {
		kind  Kind
		id    string
		props []string
		prop  string
	}{
		{KindX509, "0bad", []string{"dir", "/d"}, "id"},
		{KindX509, "t", []string{"endpoint", "sideways", "dir", "/d"}, "endpoint"},
		{KindX509, "t", []string{"verify-peer", "maybe", "dir", "/d"}, "verify-peer"},
		{KindX509, "t", []string{"username", "u", "dir", "/d"}, "username"},
		{KindPSK, "t", []string{"endpoint", "server", "username", "u", "dir", "/d"}, "username"},
		{KindX509, "t", []string{"cert", "/c"}, "cert"},
		{KindX509, "t", []string{"dir"}, "dir"},
		{KindX509, "t", []string{"dir", "/d", "dir", "/e"}, "dir"},
		{KindX509, "t", nil, "dir"},
	} {
		_, err := NewSpec(tt.kind, tt.id, tt.props...)
		var se *SpecError
		if !errors.As(err, &se) || se.Property != tt.prop {
			t.Errorf("NewSpec(%s, %q, %q) = %v, want a SpecError on %q", tt.kind, tt.id, tt.props, err, tt.prop)
		}
	}
}

// With changes a copy, keeps what the spec set, and validates the result
// as a whole: a change that makes the spec invalid is refused.
func TestSpecWith(t *testing.T) {
	sp, _, err := ParseSpec("tls-creds-x509,id=c,endpoint=client,dir=/d,layout=auto,verify-peer=off")
	if err != nil {
		t.Fatal(err)
	}
	got, err := sp.With("ca", "/x/ca,1.pem", "dir", "/e")
	if err != nil {
		t.Fatal(err)
	}
	if got.CA != "/x/ca,1.pem" || got.Dir != "/e" || got.Layout != "auto" || got.VerifyPeer || got.Endpoint != EndpointClient {
		t.Errorf("With = %+v", got)
	}
	if sp.CA != "" || sp.Dir != "/d" {
		t.Errorf("With changed the original: %+v", sp)
	}
	if !got.IsSet("ca") || !got.IsSet("layout") || got.IsSet("priority") {
		t.Error("With: IsSet is wrong")
	}
	if !strings.Contains(got.Text, "ca=/x/ca,,1.pem") {
		t.Errorf("Text = %q, want the comma escaped once", got.Text)
	}
	// cert without key: ParseSpec refuses it, so With does too.
	if _, err := sp.With("cert", "/c.pem"); err == nil || !strings.Contains(err.Error(), "without key=") {
		t.Errorf("With(cert) = %v, want the cert-without-key error", err)
	}
	if _, err := sp.With("ca"); err == nil {
		t.Error("With with a name and no value succeeded")
	}
}

// Every property of every kind is documented, and String writes them in
// the table's order.
func TestPropertyTable(t *testing.T) {
	for _, k := range []Kind{KindX509, KindAnon, KindPSK} {
		props := Properties(k)
		if len(props) < 5 {
			t.Errorf("%s: %d properties", k, len(props))
		}
		for _, p := range props {
			if p.Doc == "" {
				t.Errorf("%s %s: no doc", k, p.Name)
			}
		}
	}
	for _, d := range credsProps {
		if (d.str == nil) == (d.boolean == nil) {
			t.Errorf("%s: exactly one of str and boolean must be set", d.name)
		}
		if (d.typ == propBool) != (d.boolean != nil) {
			t.Errorf("%s: a boolean field for a boolean property", d.name)
		}
	}
	sp, err := NewSpec(KindX509, "t", "priority", "NORMAL", "dir", "/d", "endpoint", "server", "sanity-check", "off")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sp.String(), "tls-creds-x509,id=t,endpoint=server,dir=/d,priority=NORMAL,sanity-check=off"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}
