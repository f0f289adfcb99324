package creds

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// withoutText returns a copy of s with Text cleared, for comparisons.
func withoutText(s *Spec) Spec {
	c := *s
	c.Text = ""
	return c
}

func specProps(props ...string) propSet {
	var set propSet
	for _, p := range props {
		if !slices.Contains(credsPropNames, p) {
			panic("specProps: unknown property " + p)
		}
		set.add(p)
	}
	return set
}

func TestParseSpec(t *testing.T) {
	tests := []struct {
		text string
		want Spec // Text is filled in from text
	}{
		{
			text: "tls-creds-x509,id=tls0,endpoint=server,dir=/etc/pki/qemu",
			want: Spec{Kind: KindX509, ID: "tls0", Endpoint: EndpointServer, Dir: "/etc/pki/qemu",
				VerifyPeer: true, SanityCheck: true, set: specProps("id", "endpoint", "dir")},
		},
		{
			text: "qom-type=tls-creds-x509,id=tls0,dir=/a,,b",
			want: Spec{Kind: KindX509, ID: "tls0", Endpoint: EndpointClient, Dir: "/a,b",
				VerifyPeer: true, SanityCheck: true, set: specProps("id", "dir")},
		},
		{
			text: "tls-creds-x509,id=t,dir=/d,verify-peer=off,sanity-check=no,passwordid=sec0,priority=NORMAL:-VERS-TLS1.0",
			want: Spec{Kind: KindX509, ID: "t", Endpoint: EndpointClient, Dir: "/d", PasswordID: "sec0",
				Priority: "NORMAL:-VERS-TLS1.0",
				set:      specProps("id", "dir", "verify-peer", "sanity-check", "passwordid", "priority")},
		},
		{
			text: "tls-creds-x509,id=t,dir=/d,verify-peer=yes,sanity-check=true",
			want: Spec{Kind: KindX509, ID: "t", Endpoint: EndpointClient, Dir: "/d", VerifyPeer: true, SanityCheck: true,
				set: specProps("id", "dir", "verify-peer", "sanity-check")},
		},
		{
			text: "tls-creds-x509,id=t,dir=/d,verify-peer=n,sanity-check=false",
			want: Spec{Kind: KindX509, ID: "t", Endpoint: EndpointClient, Dir: "/d",
				set: specProps("id", "dir", "verify-peer", "sanity-check")},
		},
		{
			text: "tls-creds-x509,id=t,dir=/d,verify-peer=y,sanity-check=on",
			want: Spec{Kind: KindX509, ID: "t", Endpoint: EndpointClient, Dir: "/d", VerifyPeer: true, SanityCheck: true,
				set: specProps("id", "dir", "verify-peer", "sanity-check")},
		},
		{
			text: "tls-creds-psk,id=psk0,dir=/etc/psk,username=alice",
			want: Spec{Kind: KindPSK, ID: "psk0", Endpoint: EndpointClient, Dir: "/etc/psk", Username: "alice",
				VerifyPeer: true, SanityCheck: true, set: specProps("id", "dir", "username")},
		},
		{
			text: "tls-creds-anon,id=a0,endpoint=server",
			want: Spec{Kind: KindAnon, ID: "a0", Endpoint: EndpointServer, VerifyPeer: true, SanityCheck: true,
				set: specProps("id", "endpoint")},
		},
		{
			text: "tls-creds-anon,id=a-b.c_d9,", // trailing comma: allowed by keyval
			want: Spec{Kind: KindAnon, ID: "a-b.c_d9", Endpoint: EndpointClient, VerifyPeer: true, SanityCheck: true,
				set: specProps("id")},
		},
		{
			text: "tls-creds-x509,id=t,cert=/c.pem,key=/k.pem,ca=/ca.pem,crl=/crl.pem",
			want: Spec{Kind: KindX509, ID: "t", Endpoint: EndpointClient, VerifyPeer: true, SanityCheck: true,
				Cert: "/c.pem", Key: "/k.pem", CA: "/ca.pem", CRL: "/crl.pem", set: specProps("id", "cert", "key", "ca", "crl")},
		},
		{
			text: "tls-creds-x509,id=t,ca=/ca.pem",
			want: Spec{Kind: KindX509, ID: "t", Endpoint: EndpointClient, VerifyPeer: true, SanityCheck: true,
				CA: "/ca.pem", set: specProps("id", "ca")},
		},
		{
			text: "tls-creds-x509,id=t,endpoint=server,p12=/id.p12,passwordid=s",
			want: Spec{Kind: KindX509, ID: "t", Endpoint: EndpointServer, VerifyPeer: true, SanityCheck: true,
				P12: "/id.p12", PasswordID: "s", set: specProps("id", "endpoint", "p12", "passwordid")},
		},
		{
			text: "tls-creds-x509,id=t,dir=/etc/pki/libvirt,layout=libvirt",
			want: Spec{Kind: KindX509, ID: "t", Endpoint: EndpointClient, VerifyPeer: true, SanityCheck: true,
				Dir: "/etc/pki/libvirt", Layout: "libvirt", set: specProps("id", "dir", "layout")},
		},
		{
			text: "tls-creds-x509,id=t,dir=/x=y", // '=' inside a value
			want: Spec{Kind: KindX509, ID: "t", Endpoint: EndpointClient, VerifyPeer: true, SanityCheck: true,
				Dir: "/x=y", set: specProps("id", "dir")},
		},
		{
			text: `{"qom-type":"tls-creds-x509","id":"tls0","endpoint":"server","dir":"/d","verify-peer":true}`,
			want: Spec{Kind: KindX509, ID: "tls0", Endpoint: EndpointServer, Dir: "/d", VerifyPeer: true, SanityCheck: true,
				set: specProps("id", "endpoint", "dir", "verify-peer")},
		},
		{
			text: `  {"qom-type":"tls-creds-x509","id":"tls0","dir":"/a,b","verify-peer":"off","sanity-check":false}`,
			want: Spec{Kind: KindX509, ID: "tls0", Endpoint: EndpointClient, Dir: "/a,b",
				set: specProps("id", "dir", "verify-peer", "sanity-check")},
		},
		{
			text: `{"qom-type":"tls-creds-x509","id":"tls0","props":{"dir":"/d","verify-peer":false}}`,
			want: Spec{Kind: KindX509, ID: "tls0", Endpoint: EndpointClient, Dir: "/d", SanityCheck: true,
				set: specProps("id", "dir", "verify-peer")},
		},
		{
			text: `{"execute":"object-add","arguments":{"qom-type":"tls-creds-psk","id":"p","props":{"dir":"/d"}}}`,
			want: Spec{Kind: KindPSK, ID: "p", Endpoint: EndpointClient, Dir: "/d", VerifyPeer: true, SanityCheck: true,
				set: specProps("id", "dir")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			spec, sec, err := ParseSpec(tt.text)
			if err != nil {
				t.Fatalf("ParseSpec: %v", err)
			}
			if sec != nil {
				t.Fatalf("got a SecretSpec %+v", sec)
			}
			if spec.Text != tt.text {
				t.Errorf("Text = %q, want %q", spec.Text, tt.text)
			}
			if got := withoutText(spec); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			for _, prop := range credsPropNames {
				if spec.IsSet(prop) != tt.want.set.has(prop) {
					t.Errorf("IsSet(%q) = %v", prop, spec.IsSet(prop))
				}
			}
			if spec.IsSet("layout") != (tt.want.Layout != "") {
				t.Errorf("IsSet(layout) = %v", spec.IsSet("layout"))
			}

			// Round trip through the canonical form.
			again, _, err := ParseSpec(spec.String())
			if err != nil {
				t.Fatalf("ParseSpec(String() = %q): %v", spec.String(), err)
			}
			if !reflect.DeepEqual(withoutText(again), withoutText(spec)) {
				t.Errorf("round trip via %q:\ngot  %+v\nwant %+v", spec.String(), withoutText(again), withoutText(spec))
			}
		})
	}
}

func TestSpecString(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"tls-creds-x509,id=tls0,endpoint=server,dir=/a,,b,verify-peer=no",
			"tls-creds-x509,id=tls0,endpoint=server,dir=/a,,b,verify-peer=off"},
		{"qom-type=tls-creds-anon,id=a,endpoint=client", "tls-creds-anon,id=a,endpoint=client"},
		{`{"qom-type":"tls-creds-psk","username":"bob","dir":"/p","id":"p"}`, "tls-creds-psk,id=p,dir=/p,username=bob"},
		{"tls-creds-x509,p12=/i.p12,id=t,sanity-check=yes,priority=@SYSTEM",
			"tls-creds-x509,id=t,priority=@SYSTEM,sanity-check=on,p12=/i.p12"},
	}
	for _, tt := range tests {
		spec, _, err := ParseSpec(tt.text)
		if err != nil {
			t.Fatalf("ParseSpec(%q): %v", tt.text, err)
		}
		if got := spec.String(); got != tt.want {
			t.Errorf("ParseSpec(%q).String() = %q, want %q", tt.text, got, tt.want)
		}
	}

	// A Spec built in code renders what differs from the defaults.
	lit := &Spec{Kind: KindX509, ID: "x", Dir: "/d", Endpoint: EndpointServer, VerifyPeer: true, SanityCheck: true}
	if got, want := lit.String(), "tls-creds-x509,id=x,endpoint=server,dir=/d"; got != want {
		t.Errorf("literal String() = %q, want %q", got, want)
	}
	lit = &Spec{Kind: KindAnon, ID: "a"} // zero VerifyPeer is off; SanityCheck is not an anon property
	if got, want := lit.String(), "tls-creds-anon,id=a,verify-peer=off"; got != want {
		t.Errorf("literal String() = %q, want %q", got, want)
	}
}

func TestParseSpecExactError(t *testing.T) {
	const text = "tls-creds-x509,id=tls0,endpoint=sever"
	_, _, err := ParseSpec(text)
	const want = `object "tls-creds-x509,id=tls0,endpoint=sever": property "endpoint": invalid value "sever" (want server or client)`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	var se *SpecError
	if !errors.As(err, &se) || se.Property != "endpoint" || se.Text != text {
		t.Errorf("errors.As: %#v", se)
	}

	_, _, err = ParseSpec("tls-creds-x509,id=tls0")
	const wantDir = `object "tls-creds-x509,id=tls0": property "dir": Missing 'dir' property value`
	if err == nil || err.Error() != wantDir {
		t.Errorf("err = %v\nwant %s", err, wantDir)
	}
}

func TestParseSpecErrors(t *testing.T) {
	x509Props := "valid: id, endpoint, dir, verify-peer, priority, sanity-check, passwordid, layout, cert, key, ca, crl, p12"
	tests := []struct {
		text, prop, want string
	}{
		{"", "", "empty spec"},
		{"  \t", "", "empty spec"},
		{"tls-creds-x5099,id=t", "qom-type", `unknown object type "tls-creds-x5099" (want one of tls-creds-x509, tls-creds-anon, tls-creds-psk, secret)`},
		{"tls-cipher-suites,id=t", "qom-type", `unknown object type "tls-cipher-suites"`},
		{"id=t,dir=/d", "qom-type", "missing object type (want one of tls-creds-x509, tls-creds-anon, tls-creds-psk, secret)"},
		{"tls-creds-x509,qom-type=tls-creds-x509,id=t,dir=/d", "qom-type", "given twice"},
		{"tls-creds-x509,id=t,dir=/d,username=u", "username", "unknown property for tls-creds-x509 (" + x509Props + `); "username" belongs to tls-creds-psk`},
		{"tls-creds-psk,id=t,dir=/d,sanity-check=off", "sanity-check", `unknown property for tls-creds-psk (valid: id, endpoint, dir, verify-peer, priority, username); "sanity-check" belongs to tls-creds-x509`},
		{"tls-creds-anon,id=t,passwordid=s", "passwordid", `unknown property for tls-creds-anon (valid: id, endpoint, dir, verify-peer, priority); "passwordid" belongs to tls-creds-x509`},
		{"tls-creds-x509,id=t,dir=/d,bogus=1", "bogus", "unknown property for tls-creds-x509 (" + x509Props + ")"},
		{"tls-creds-x509,id=t,dir=/d,Dir=/e", "Dir", "unknown property"},
		{"tls-creds-x509,dir=/d", "id", "missing (every object needs id=NAME)"},
		{"tls-creds-x509,id=,dir=/d", "id", "empty value"},
		{"tls-creds-x509,id=0tls,dir=/d", "id", `invalid value "0tls" (want an identifier: a letter, then letters, digits, '-', '.' or '_')`},
		{"tls-creds-x509,id=tls 0,dir=/d", "id", `invalid value "tls 0"`},
		{"tls-creds-x509,id=tls/0,dir=/d", "id", `invalid value "tls/0"`},
		{"tls-creds-x509,id=t,dir=/d,dir=/e", "dir", "given twice"},
		{"tls-creds-x509,id=t,id=u,dir=/d", "id", "given twice"},
		{"tls-creds-x509,id=t,dir=/d,verify-peer=On", "verify-peer", `invalid value "On" (want on, off, yes, no, true, false, y or n)`},
		{"tls-creds-x509,id=t,dir=/d,sanity-check=1", "sanity-check", `invalid value "1"`},
		{"tls-creds-x509,id=t,dir=/d,verify-peer=", "verify-peer", `invalid value ""`},
		{"tls-creds-x509,id=t,dir=/d,layout=debian", "layout", `invalid value "debian" (want qemu, libvirt, kubernetes or auto)`},
		{"tls-creds-x509,id=t,dir=/d,endpoint=Server", "endpoint", `invalid value "Server" (want server or client)`},
		{"tls-creds-x509,id=t,dir=/d,loaded=on", "loaded", "removed in QEMU 9.2"},
		{"tls-creds-anon,id=t,loaded=off", "loaded", `delete "loaded"`},
		{"tls-creds-psk,id=p,endpoint=server,dir=/d,username=u", "username", "username should not be set when endpoint=server"},
		{"tls-creds-x509,id=t", "dir", "Missing 'dir' property value"},
		{"tls-creds-psk,id=t", "dir", "Missing 'dir' property value"},
		{"tls-creds-psk,id=t,endpoint=server", "dir", "Missing 'dir' property value"},
		{"tls-creds-x509,id=t,crl=/crl.pem", "dir", "Missing 'dir' property value"},
		{"tls-creds-x509,id=t,layout=auto", "dir", "Missing 'dir' property value"},
		{"tls-creds-x509,id=t,dir=/d,p12=/a.p12,cert=/c,key=/k", "p12", "cannot be combined with cert or key"},
		{"tls-creds-x509,id=t,p12=/a.p12,key=/k", "p12", "cannot be combined with cert or key"},
		{"tls-creds-x509,id=t,cert=/c", "cert", "cert=/c given without key="},
		{"tls-creds-x509,id=t,key=/k,ca=/ca", "key", "key=/k given without cert="},
		{"tls-creds-x509,id=t,dir=", "dir", "empty value"},
		{"tls-creds-x509,id=t,dir", "dir", "expected '=' after property name (want dir=VALUE)"},
		{",id=t", "", "empty element"},
		{"tls-creds-x509,=x", "", "empty property name before '='"},
		{"tls-creds-x509,,id=t,dir=/d", "qom-type", `unknown object type "tls-creds-x509,id=t"`},

		// Secrets.
		{"secret,id=s", "", "Either 'file' or 'data' must be provided"},
		{"secret,id=s,file=/f,data=x", "", "'file' and 'data' are mutually exclusive"},
		{"secret,id=s,data=x,keyid=k,iv=abc", "keyid", "encrypted secrets (keyid, iv) are not supported"},
		{"secret,data=x", "id", "missing"},
		{"secret,id=s,data=x,format=hex", "format", `invalid value "hex" (want raw or base64)`},
		{"secret,id=s,data=x,loaded=on", "loaded", "removed in QEMU 9.2"},
		{"secret,id=s,data=x,dir=/d", "dir", "unknown property for secret (valid: id, file, data, format)"},

		// JSON.
		{`{"qom-type":"tls-creds-x509","id":"t","dir":"/d","bogus":"x"}`, "bogus", "unknown property for tls-creds-x509"},
		{`{"qom-type":`, "", "invalid JSON"},
		{`{"qom-type":"tls-creds-anon","id":"a"} x`, "", "trailing data after the object"},
		{`{"qom-type":"tls-creds-anon","id":"a"}{}`, "", "trailing data after the object"},
		{`{"qom-type":"tls-creds-anon","id":"a","id":"b"}`, "id", "given twice"},
		{`{"qom-type":"tls-creds-x509","id":"a","dir":"/d","props":{"dir":"/e"}}`, "dir", "given twice"},
		{`{"qom-type":"tls-creds-x509","id":"a","dir":"/d","verify-peer":1}`, "verify-peer", "invalid value JSON number 1 (want a boolean)"},
		{`{"qom-type":"tls-creds-x509","id":"a","dir":["/d"]}`, "dir", "invalid value: JSON array (want a string or boolean)"},
		{`{"qom-type":"tls-creds-x509","id":"a","dir":{"x":"y"}}`, "dir", "invalid value: JSON object"},
		{`{"qom-type":"tls-creds-x509","id":"a","dir":true}`, "dir", "invalid value true (want a string)"},
		{`{"qom-type":"tls-creds-x509","id":"a","dir":null}`, "dir", "invalid value JSON null (want a string)"},
		{`{"qom-type":"tls-creds-x509","id":"a","dir":"/d","endpoint":false}`, "endpoint", "invalid value false (want server or client)"},
		{`{"qom-type":true}`, "qom-type", "invalid value true (want a string)"},
		{`{}`, "qom-type", "missing object type"},
		{`{"qom-type":"tls-creds-anon","id":"a","props":{"props":{}}}`, "props", "invalid value: JSON object"},
		{`{"execute":"object-del","arguments":{"id":"a"}}`, "execute", `invalid value "object-del" (want object-add)`},
		{`{"execute":"object-add","arguments":{"qom-type":"tls-creds-anon","id":"a"},"id":"x"}`, "", `a QMP command holds only "execute":"object-add" and "arguments":{...}`},
		{`{"arguments":{"qom-type":"tls-creds-anon","id":"a"}}`, "", "a QMP command holds only"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			spec, sec, err := ParseSpec(tt.text)
			if err == nil {
				t.Fatalf("no error; got %+v %+v", spec, sec)
			}
			if spec != nil || sec != nil {
				t.Errorf("results not nil on error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\ndoes not contain %q", err, tt.want)
			}
			var se *SpecError
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not a *SpecError", err)
			}
			if se.Property != tt.prop {
				t.Errorf("Property = %q, want %q", se.Property, tt.prop)
			}
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("object %q: ", se.Text)) {
				t.Errorf("error %q does not name the object", err)
			}
		})
	}
}

func TestParseSecretSpec(t *testing.T) {
	tests := []struct {
		text string
		want SecretSpec
	}{
		{"secret,id=sec0,file=/run/pw", SecretSpec{ID: "sec0", File: "/run/pw", Format: "raw", Text: "secret,id=sec0,file=/run/pw"}},
		{"secret,id=sec0,data=aHVudGVyMg==,format=base64", SecretSpec{ID: "sec0", Data: "aHVudGVyMg==", Format: "base64",
			Text: "secret,id=sec0,data=<redacted>,format=base64"}},
		{"qom-type=secret,id=s,data=a,,b", SecretSpec{ID: "s", Data: "a,b", Format: "raw", Text: "qom-type=secret,id=s,data=<redacted>"}},
		{`{"qom-type":"secret","id":"s","data":"pw","format":"raw"}`, SecretSpec{ID: "s", Data: "pw", Format: "raw",
			Text: `{"qom-type":"secret","id":"s","data":"<redacted>","format":"raw"}`}},
	}
	for _, tt := range tests {
		spec, sec, err := ParseSpec(tt.text)
		if err != nil {
			t.Fatalf("ParseSpec(%q): %v", tt.text, err)
		}
		if spec != nil {
			t.Fatalf("ParseSpec(%q) returned a Spec", tt.text)
		}
		if *sec != tt.want {
			t.Errorf("ParseSpec(%q) = %+v, want %+v", tt.text, *sec, tt.want)
		}
	}
}

func TestSpecErrorsRedactSecretData(t *testing.T) {
	for _, text := range []string{
		"secret,id=s,data=hunter2,keyid=k",
		"secret,id=s,data=hunter2,,more,bogus",
		"secret,id=s,data=hunter2,file=/f",
		`{"qom-type":"secret","id":"s","data":"hunter2","format":"hex"}`,
		`{"qom-type":"secret","id":"s","data":"hun\"ter2","file":"/f"}`,
		`{"qom-type":"secret","id":"s","d\u0061ta":"hunter2","format":"hex"}`,
		`{"qom-type":"secret","id":"s","data":["hunter2"]}`,
		`{"qom-type":"secret","id":"s","data":{"id":"x","v":["hunter2"]},"format":"raw"}`,
		`{"qom-type":"secret","id":"s","data":"hunter2",`,
		`{"qom-type":"secret","id":"s","props":{"data":"hunter2","keyid":"k"}}`,
	} {
		_, _, err := ParseSpec(text)
		if err == nil {
			t.Fatalf("ParseSpec(%q): no error", text)
		}
		if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "ter2") {
			t.Errorf("error leaks the secret: %v", err)
		}
		if !strings.Contains(err.Error(), "<redacted>") {
			t.Errorf("error %q lacks <redacted>", err)
		}
	}
}

func TestSpecsAdd(t *testing.T) {
	var s Specs
	for _, text := range []string{
		"tls-creds-x509,id=tls0,dir=/a",
		"secret,id=sec0,data=pw",
		"tls-creds-psk,id=psk0,dir=/p",
	} {
		if err := s.Add(text); err != nil {
			t.Fatalf("Add(%q): %v", text, err)
		}
	}
	if len(s.Objects) != 2 || len(s.Secrets) != 1 {
		t.Fatalf("got %d objects, %d secrets", len(s.Objects), len(s.Secrets))
	}

	tests := []struct{ text, want string }{
		{"tls-creds-anon,id=tls0", `object "tls-creds-anon,id=tls0": property "id": duplicate id "tls0": already used by object "tls-creds-x509,id=tls0,dir=/a"`},
		{"secret,id=tls0,data=x", `already used by object "tls-creds-x509,id=tls0,dir=/a"`},
		{"tls-creds-anon,id=sec0", `already used by object "secret,id=sec0,data=<redacted>"`},
		{"tls-creds-anon,id=psk0", `already used by object "tls-creds-psk,id=psk0,dir=/p"`},
		{"tls-creds-anon", "missing"},
	}
	for _, tt := range tests {
		err := s.Add(tt.text)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Add(%q) = %v, want %q", tt.text, err, tt.want)
		}
	}
	if err := s.Add("tls-creds-anon,id=tls0"); !errors.Is(err, ErrDuplicateID) {
		t.Errorf("duplicate id error %v does not match ErrDuplicateID", err)
	}
	if len(s.Objects) != 2 || len(s.Secrets) != 1 {
		t.Errorf("failed Adds changed the lists: %d objects, %d secrets", len(s.Objects), len(s.Secrets))
	}
}

func FuzzParseSpec(f *testing.F) {
	for _, seed := range []string{
		"tls-creds-x509,id=tls0,endpoint=server,dir=/etc/pki/qemu",
		"qom-type=tls-creds-x509,id=tls0,dir=/a,,b,verify-peer=off",
		"tls-creds-psk,id=p,dir=/d,username=u",
		"tls-creds-anon,id=a,",
		"tls-creds-x509,id=t,p12=/i.p12,passwordid=s,layout=auto",
		"secret,id=s,data=eA==,format=base64",
		`{"qom-type":"tls-creds-x509","id":"t","dir":"/d","verify-peer":true}`,
		`{"execute":"object-add","arguments":{"qom-type":"tls-creds-anon","id":"a","props":{"endpoint":"server"}}}`,
		"tls-creds-x509,,id=t",
		",",
		"=",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		spec, sec, err := ParseSpec(text)
		if err != nil {
			var se *SpecError
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not a *SpecError", err)
			}
			return
		}
		if (spec == nil) == (sec == nil) {
			t.Fatalf("want exactly one result, got %v %v", spec, sec)
		}
		if spec == nil {
			return
		}
		canon := spec.String()
		again, _, err := ParseSpec(canon)
		if err != nil {
			t.Fatalf("ParseSpec(%q).String() = %q does not parse: %v", text, canon, err)
		}
		if !reflect.DeepEqual(withoutText(again), withoutText(spec)) {
			t.Fatalf("round trip of %q via %q:\ngot  %+v\nwant %+v", text, canon, withoutText(again), withoutText(spec))
		}
	})
}

func ExampleParseSpec() {
	spec, _, err := ParseSpec("tls-creds-x509,id=tls0,endpoint=server,dir=/etc/pki/qemu,verify-peer=no")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(spec.Kind, spec.ID, spec.Endpoint, spec.Dir, spec.VerifyPeer, spec.IsSet("sanity-check"))

	_, _, err = ParseSpec("tls-creds-x509,id=tls0,endpoint=sever,dir=/etc/pki/qemu")
	fmt.Println(err)
	// Output:
	// tls-creds-x509 tls0 server /etc/pki/qemu false false
	// object "tls-creds-x509,id=tls0,endpoint=sever,dir=/etc/pki/qemu": property "endpoint": invalid value "sever" (want server or client)
}

func ExampleSpecs_Password() {
	var specs Specs
	for _, text := range []string{
		"secret,id=sec0,data=czNjcmV0,format=base64",
		"tls-creds-x509,id=tls0,dir=/etc/pki/qemu,passwordid=sec0",
	} {
		if err := specs.Add(text); err != nil {
			fmt.Println(err)
			return
		}
	}
	pw, err := specs.Password(specs.Objects[0])
	fmt.Printf("%s %v\n", pw, err)
	// Output: s3cret <nil>
}
