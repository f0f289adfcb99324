package creds

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// secretSpecs builds a Specs from spec texts.
func secretSpecs(t *testing.T, texts ...string) *Specs {
	t.Helper()
	var s Specs
	for _, text := range texts {
		if err := s.Add(text); err != nil {
			t.Fatalf("Add(%q): %v", text, err)
		}
	}
	return &s
}

func writeSecretFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSecret(t *testing.T) {
	raw := writeSecretFile(t, "raw", []byte("hunter2\n"))
	b64 := writeSecretFile(t, "b64", []byte("aHVudGVy\nMg==\n"))
	tests := []struct {
		spec string
		want string
	}{
		{"secret,id=s,data=hunter2", "hunter2"},
		{"secret,id=s,data=a,,b", "a,b"},
		{"secret,id=s,data=aHVudGVyMg==,format=base64", "hunter2"},
		{"secret,id=s,data=aHVudGVyMg,format=base64", "hunter2"},  // GLib accepts missing padding
		{"secret,id=s,file=" + raw, "hunter2\n"},                  // kept verbatim, as QEMU does
		{"secret,id=s,file=" + b64 + ",format=base64", "hunter2"}, // '\n' is allowed in base64
		{`{"qom-type":"secret","id":"s","data":"pw"}`, "pw"},
	}
	for _, tt := range tests {
		s := secretSpecs(t, tt.spec)
		got, err := s.Secret("s")
		if err != nil {
			t.Errorf("%s: Secret: %v", tt.spec, err)
			continue
		}
		if string(got) != tt.want {
			t.Errorf("%s: Secret = %q, want %q", tt.spec, got, tt.want)
		}
	}
}

func TestSecretErrors(t *testing.T) {
	dir := t.TempDir()
	big := writeSecretFile(t, "big", bytes.Repeat([]byte("x"), maxSecretFile+1))
	crlf := writeSecretFile(t, "crlf", []byte("aHVudGVyMg==\r\n"))
	fifo := filepath.Join(dir, "fifo")
	mkfifo, err := exec.LookPath("mkfifo")
	if err != nil {
		t.Fatal("mkfifo not found: run apt-get install -y coreutils")
	}
	if out, err := exec.Command(mkfifo, fifo).CombinedOutput(); err != nil {
		t.Fatalf("mkfifo: %v: %s", err, out)
	}

	tests := []struct {
		spec, prop, want string
	}{
		{"secret,id=s,file=" + filepath.Join(dir, "missing"), "file", "no such file or directory"},
		{"secret,id=s,file=" + dir, "file", "is a directory, not a regular file"},
		{"secret,id=s,file=" + fifo, "file", "is a FIFO, not a regular file; refusing to read it"},
		{"secret,id=s,file=/dev/null", "file", "is a device, not a regular file; refusing to read it"},
		{"secret,id=s,file=" + big, "file", "larger than 64 KiB; refusing to read it"},
		{"secret,id=s,file=" + crlf + ",format=base64", "file", "Base64 data contains invalid characters (byte 12); remove the CR"},
		{"secret,id=s,data=aHVu dGVy,format=base64", "data", "Base64 data contains invalid characters (byte 4); remove the whitespace"},
		{"secret,id=s,data=aHVu-_Vy,format=base64", "data", "URL-safe base64"},
		{"secret,id=s,data=aHVu!,format=base64", "data", "Base64 data contains invalid characters (byte 4)"},
		{"secret,id=s,data=aH=VudGVy,format=base64", "data", "'=' padding before its end"},
		{"secret,id=s,data=aHVud,format=base64", "data", "base64 data is truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			s := secretSpecs(t, tt.spec)
			done := make(chan struct{})
			var err error
			go func() {
				defer close(done)
				_, err = s.Secret("s")
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Secret hung")
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Secret = %v, want %q", err, tt.want)
			}
			var se *SpecError
			if !errors.As(err, &se) || se.Property != tt.prop {
				t.Errorf("want a *SpecError for property %q, got %#v", tt.prop, err)
			}
			if strings.Contains(err.Error(), "aHVu") {
				t.Errorf("error leaks secret data: %v", err)
			}
		})
	}

	// The base64 checks follow QEMU's qbase64_decode, NUL included.
	if _, err := decodeQEMUBase64([]byte("aHVu\x00dGVy")); err == nil || err.Error() != "Base64 data contains embedded NUL characters" {
		t.Errorf("NUL: %v", err)
	}
}

func TestSecretLookupErrors(t *testing.T) {
	s := secretSpecs(t, "tls-creds-x509,id=tls0,dir=/d", "secret,id=sec0,data=pw")
	_, err := s.Secret("nope")
	const want = `no secret object with id "nope" (passwordid=nope)`
	if err == nil || err.Error() != want {
		t.Errorf("Secret(nope) = %v, want %s", err, want)
	}
	if !errors.Is(err, ErrNoSecret) {
		t.Errorf("%v does not match ErrNoSecret", err)
	}
	_, err = s.Secret("tls0")
	if err == nil || !strings.Contains(err.Error(), `object with id "tls0" is tls-creds-x509, not a secret`) || !errors.Is(err, ErrNoSecret) {
		t.Errorf("Secret(tls0) = %v", err)
	}
}

func TestPassword(t *testing.T) {
	s := secretSpecs(t,
		"secret,id=sec0,data=s3cret",
		"secret,id=bin,data=/w==,format=base64", // 0xff: not UTF-8
		"tls-creds-x509,id=none,dir=/d",
		"tls-creds-x509,id=ok,dir=/d,passwordid=sec0",
		"tls-creds-x509,id=missing,dir=/d,passwordid=sec9",
		"tls-creds-x509,id=binary,dir=/d,passwordid=bin",
	)
	spec := func(id string) *Spec {
		for _, o := range s.Objects {
			if o.ID == id {
				return o
			}
		}
		t.Fatalf("no object %s", id)
		return nil
	}

	if pw, err := s.Password(spec("none")); pw != nil || err != nil {
		t.Errorf("no passwordid: got %q, %v; want nil, nil", pw, err)
	}
	if pw, err := s.Password(spec("ok")); err != nil || string(pw) != "s3cret" {
		t.Errorf("Password(ok) = %q, %v", pw, err)
	}

	_, err := s.Password(spec("missing"))
	const wantMissing = `object "tls-creds-x509,id=missing,dir=/d,passwordid=sec9": property "passwordid": no secret object with id "sec9" (passwordid=sec9)`
	if err == nil || err.Error() != wantMissing {
		t.Errorf("Password(missing) = %v\nwant %s", err, wantMissing)
	}
	if !errors.Is(err, ErrNoSecret) {
		t.Errorf("%v does not match ErrNoSecret", err)
	}

	_, err = s.Password(spec("binary"))
	if err == nil || !strings.Contains(err.Error(), `property "passwordid": Data from secret bin is not valid UTF-8`) {
		t.Errorf("Password(binary) = %v", err)
	}
}
