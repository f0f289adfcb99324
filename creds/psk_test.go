package creds

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
)

const (
	key32 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	key16 = "ffeeddccbbaa99887766554433221100"
	key8  = "009d5638c40fde0c" // QEMU's unit-test key
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestParsePSKFile(t *testing.T) {
	type problem struct {
		line int
		kind string
		msg  string // substring
	}
	tests := []struct {
		name     string
		data     string
		entries  []PSKEntry
		problems []problem
	}{
		{
			name:    "one entry",
			data:    "qemu:" + key32 + "\n",
			entries: []PSKEntry{{"qemu", mustHex(key32), 1}},
		},
		{
			name:    "no final newline, upper-case hex",
			data:    "alice:" + strings.ToUpper(key16) + "\nbob:" + key32,
			entries: []PSKEntry{{"alice", mustHex(key16), 1}, {"bob", mustHex(key32), 2}},
		},
		{
			name:     "short key from QEMU's tests",
			data:     "qemu:" + key8 + "\n",
			entries:  []PSKEntry{{"qemu", mustHex(key8), 1}},
			problems: []problem{{1, "short-key", `keys.psk:1: key for username "qemu" is 8 bytes; use at least 16`}},
		},
		{
			name:    "CRLF",
			data:    "alice:" + key32 + "\r\nbob:" + key16 + "\r\n",
			entries: []PSKEntry{{"alice", mustHex(key32), 1}, {"bob", mustHex(key16), 2}},
			problems: []problem{
				{1, "crlf", "keys.psk:1: line ends with CR LF (Windows line ending); QEMU's PSK client keeps the CR as part of the key, so the hex decode fails"},
				{2, "crlf", "dos2unix"},
			},
		},
		{
			name:    "bad hex",
			data:    "alice:zz" + key16 + "\nbob:" + key32 + "1\ncarol:" + key16 + " \ndave:" + key32 + "\n",
			entries: []PSKEntry{{"dave", mustHex(key32), 4}},
			problems: []problem{
				{1, "bad-hex", `keys.psk:1: key for username "alice": not valid hex: a character that is not a hex digit at column 1 of the key`},
				{2, "bad-hex", "odd number of digits (65)"},
				{3, "bad-hex", "whitespace at column 33"},
			},
		},
		{
			name:     "empty key",
			data:     "alice:\nbob:" + key32,
			entries:  []PSKEntry{{"bob", mustHex(key32), 2}},
			problems: []problem{{1, "bad-hex", "no key after ':'"}},
		},
		{
			name:    "duplicate user",
			data:    "alice:" + key32 + "\nalice:" + key16 + "\n",
			entries: []PSKEntry{{"alice", mustHex(key32), 1}},
			problems: []problem{
				{2, "duplicate-user", `keys.psk:2: username "alice" already defined on line 1; QEMU and GnuTLS use the first line, this one is ignored`},
			},
		},
		{
			name:    "empty user, no colon, blank lines",
			data:    "\n:" + key32 + "\n  \ngarbage\nbob:" + key32 + "\n",
			entries: []PSKEntry{{"bob", mustHex(key32), 5}},
			problems: []problem{
				{1, "blank", "keys.psk:1: blank line"},
				{2, "empty-user", "keys.psk:2: empty username before ':'"},
				{3, "blank", "keys.psk:3: blank line"},
				{4, "no-colon", "keys.psk:4: no ':' separator (want username:hexkey"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParsePSKFile("keys.psk", []byte(tt.data))
			if err != nil {
				t.Fatalf("ParsePSKFile: %v", err)
			}
			if len(f.Entries) != len(tt.entries) {
				t.Fatalf("entries = %+v, want %+v", f.Entries, tt.entries)
			}
			for i, e := range f.Entries {
				w := tt.entries[i]
				if e.Username != w.Username || !bytes.Equal(e.Key, w.Key) || e.Line != w.Line {
					t.Errorf("entry %d = %+v, want %+v", i, e, w)
				}
			}
			if len(f.Problems) != len(tt.problems) {
				t.Fatalf("problems = %+v, want %+v", f.Problems, tt.problems)
			}
			for i, p := range f.Problems {
				w := tt.problems[i]
				if p.Line != w.line || p.Kind != w.kind || !strings.Contains(p.Message, w.msg) {
					t.Errorf("problem %d = %+v, want %+v", i, p, w)
				}
				if !strings.HasPrefix(p.Message, fmt.Sprintf("keys.psk:%d: ", p.Line)) {
					t.Errorf("problem %q does not name file and line", p.Message)
				}
				for _, k := range []string{key32, key16, key8, strings.ToUpper(key16)} {
					if strings.Contains(p.Message, k) || strings.Contains(p.Message, k[:8]) {
						t.Errorf("problem %q prints key material", p.Message)
					}
				}
			}
		})
	}
}

func TestParsePSKFileNoEntries(t *testing.T) {
	tests := []struct{ data, want string }{
		{"", "psk file keys.psk: no usable PSK entries (the file is empty)"},
		{"\n", "1 problem(s), first: keys.psk:1: blank line"},
		{"alice:xyz\n", `first: keys.psk:1: key for username "alice": not valid hex`},
		// QEMU's client takes the first line for a user, so a good key after a bad one is dead.
		{"alice:xyz\nalice:" + key32, "2 problem(s)"},
	}
	for _, tt := range tests {
		f, err := ParsePSKFile("keys.psk", []byte(tt.data))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParsePSKFile(%q) = %v, want %q", tt.data, err, tt.want)
		}
		if !errors.Is(err, ErrNoPSKEntries) {
			t.Errorf("%v does not match ErrNoPSKEntries", err)
		}
		if f == nil {
			t.Errorf("ParsePSKFile(%q) returned no file with its error", tt.data)
		}
		if strings.Contains(fmt.Sprint(err), "xyz") || strings.Contains(fmt.Sprint(err), key32[:8]) {
			t.Errorf("error prints key material: %v", err)
		}
	}
}

func TestPSKLookup(t *testing.T) {
	data := "qemux:" + key16 + "\n" +
		"qemu:" + key32 + "\r\n" +
		"bad:nothex\n" +
		"a:b:" + key16 + "\n" + // a username with ':' works as a prefix match, as in QEMU's client
		"bad:" + key32 + "\n"
	f, err := ParsePSKFile("keys.psk", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		user string
		key  string
		ok   bool
	}{
		{"qemu", key32, true},
		{"qemux", key16, true},
		{"a:b", key16, true},
		{"bad", "", false}, // the first "bad:" line is not hex; QEMU stops there
		{"nobody", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		key, ok := f.Lookup(tt.user)
		if ok != tt.ok || !bytes.Equal(key, mustHexOrNil(tt.key)) {
			t.Errorf("Lookup(%q) = %x, %v; want %s, %v", tt.user, key, ok, tt.key, tt.ok)
		}
	}

	manual := &PSKFile{Entries: []PSKEntry{{Username: "qemu", Key: []byte{1, 2}}}}
	if key, ok := manual.Lookup("qemu"); !ok || !bytes.Equal(key, []byte{1, 2}) {
		t.Errorf("Lookup on a hand-built file = %x, %v", key, ok)
	}
	if _, ok := manual.Lookup("other"); ok {
		t.Error("Lookup(other) on a hand-built file succeeded")
	}
}

func mustHexOrNil(s string) []byte {
	if s == "" {
		return nil
	}
	return mustHex(s)
}

func FuzzParsePSKFile(f *testing.F) {
	for _, seed := range []string{
		"qemu:" + key8 + "\n",
		"alice:" + key32 + "\r\nbob:" + key16 + "\r\n",
		"alice:zz\nalice:" + key16 + "\n\n:00\ngarbage\n",
		"a:b:" + key16,
		"",
		"\r",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParsePSKFile("keys.psk", data)
		if file == nil {
			t.Fatal("nil file")
		}
		if (err != nil) != (len(file.Entries) == 0) {
			t.Fatalf("err %v with %d entries", err, len(file.Entries))
		}
		seen := map[string]bool{}
		for _, e := range file.Entries {
			if len(e.Key) == 0 || e.Username == "" || seen[e.Username] {
				t.Fatalf("bad entry %+v", e)
			}
			seen[e.Username] = true
			key, ok := file.Lookup(e.Username)
			if !ok || !bytes.Equal(key, e.Key) {
				t.Fatalf("Lookup(%q) = %x, %v; entry has %x", e.Username, key, ok, e.Key)
			}
		}
		for _, p := range file.Problems {
			if !strings.HasPrefix(p.Message, fmt.Sprintf("keys.psk:%d: ", p.Line)) {
				t.Fatalf("problem %q does not name file and line", p.Message)
			}
		}
	})
}

func ExampleParsePSKFile() {
	data := []byte("qemu:009d5638c40fde0c\r\n")
	f, err := ParsePSKFile("/etc/pki/qemu/keys.psk", data)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range f.Problems {
		fmt.Println(p.Kind)
	}
	key, ok := f.Lookup("qemu")
	fmt.Println(len(key), ok)
	// Output:
	// crlf
	// short-key
	// 8 true
}

// TestPSKClientKey: what QEMU's PSK client does with keys.psk, as measured
// with qemu-img 7.2.22, 10.0.0, 10.1.0 and 10.2.0 (GnuTLS 3.7.9) through
// `qemu-img info --object tls-creds-psk,id=t,endpoint=client,dir=D,username=U`.
func TestPSKClientKey(t *testing.T) {
	const k = "00112233445566778899aabbccddeeff"
	parse := "Cannot set PSK client credentials: Error in parsing."
	invalid := "Cannot set PSK client credentials: The request is invalid."
	notFound := "Username alice not found in PSK file D/keys.psk"
	tests := []struct {
		name, data, user string
		key              string // hex, when it loads
		qemu             string // QEMU's message, when it does not
		line             int
	}{
		{"ok", "alice:" + k + "\n", "alice", k, "", 0},
		{"no final newline", "alice:" + k, "alice", k, "", 0},
		{"upper-case hex", "alice:" + strings.ToUpper(k) + "\n", "alice", k, "", 0},
		{"empty file", "", "alice", "", notFound, 0},
		{"no colon", "alice" + k + "\n", "alice", "", notFound, 0},
		{"prefix of another user", "alice2:" + k + "\n", "alice", "", notFound, 0},
		{"not hex", "alice:zz" + k[2:] + "\n", "alice", "", parse, 1},
		{"odd digits", "alice:" + k + "0\n", "alice", "", parse, 1},
		{"CRLF", "alice:" + k + "\r\n", "alice", "", parse, 1},
		{"CRLF on another line", "bob:" + k + "\r\nalice:" + k + "\n", "alice", k, "", 0},
		{"space after colon", "alice: " + k + "\n", "alice", "", parse, 1},
		{"second colon", "alice:" + k + ":x\n", "alice", "", parse, 1},
		{"first of two lines wins (bad)", "alice:zz\nalice:" + k + "\n", "alice", "", parse, 1},
		{"first of two lines wins (good)", "alice:" + k + "\nalice:zz\n", "alice", k, "", 0},
		{"empty key", "alice:\n", "alice", "", invalid, 1},
		{"3-byte key", "alice:a1a2a3\n", "alice", "", invalid, 1},
		{"4-byte key", "alice:a1a2a3a4\n", "alice", "a1a2a3a4", "", 0},
		{"NUL ends the file", "bob:00\x00\nalice:" + k + "\n", "alice", "", notFound, 0},
		{"NUL ends the key", "alice:a1a2a3a4\x00zz\n", "alice", "a1a2a3a4", "", 0},
		{"byte-order mark", "\xef\xbb\xbfalice:" + k + "\n", "alice", "", notFound, 0},
		{"username with colon", "al:ice:" + k + "\n", "al:ice", k, "", 0},
		{"default username qemu", "qemu:" + k + "\n", "", k, "", 0},
		{"default username missing", "alice:" + k + "\n", "", "", "Username qemu not found in PSK file D/keys.psk", 0},
	}
	for _, tt := range tests {
		f, _ := ParsePSKFile("D/keys.psk", []byte(tt.data))
		key, err := f.ClientKey(tt.user)
		if tt.qemu == "" {
			if err != nil || hex.EncodeToString(key) != tt.key {
				t.Errorf("%s: ClientKey = %x, %v; want %s", tt.name, key, err, tt.key)
			}
			continue
		}
		var ce *PSKClientError
		if !errors.As(err, &ce) || ce.QEMU != tt.qemu || err.Error() != tt.qemu || ce.Line != tt.line {
			t.Errorf("%s: ClientKey = %x, %#v; want QEMU %q at line %d", tt.name, key, err, tt.qemu, tt.line)
			continue
		}
		if strings.Contains(ce.Reason, k[:8]) || strings.Contains(ce.QEMU, k[:8]) {
			t.Errorf("%s: error holds key material: %+v", tt.name, ce)
		}
	}
}
