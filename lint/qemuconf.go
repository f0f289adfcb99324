package lint

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/safefile"
)

// qemuConfServices are the TLS services of libvirt's qemu.conf and the
// endpoints libvirt creates their tls-creds-x509 objects as: VNC, SPICE
// and pull-mode backup (an NBD export) are servers; chardevs and
// migration are either side; NBD disks are clients.
//
// verify is the server's default *_tls_x509_verify when neither it nor
// default_tls_x509_verify is set, as Debian 12's libvirt 9.0 qemu.conf
// documents it: VNC 0, chardev 1, migration 1, backup 1; SPICE has no
// such setting (its clients are not verified). Clients always verify the
// server.
var qemuConfServices = []struct {
	name      string
	endpoints []creds.Endpoint
	verify    bool
	hasVerify bool
}{
	{"vnc", []creds.Endpoint{creds.EndpointServer}, false, true},
	{"spice", []creds.Endpoint{creds.EndpointServer}, false, false},
	{"chardev", []creds.Endpoint{creds.EndpointServer, creds.EndpointClient}, true, true},
	{"migrate", []creds.Endpoint{creds.EndpointServer, creds.EndpointClient}, true, true},
	{"backup", []creds.Endpoint{creds.EndpointServer}, true, true},
	{"nbd", []creds.Endpoint{creds.EndpointClient}, true, false},
}

// QEMUConfDir is one credential directory a qemu.conf names, with the
// endpoint libvirt uses it as and the services that use it.
type QEMUConfDir struct {
	Dir      string
	Endpoint creds.Endpoint
	Services []string
	// Verify is the verify-peer libvirt gives the object (a server's
	// *_tls_x509_verify; clients always verify).
	Verify bool
	// SecretUUID is *_tls_x509_secret_uuid (or the default one): the
	// libvirt secret holding the password of an encrypted key.
	SecretUUID string
}

// MaxQEMUConfSize is the largest qemu.conf libvirt reads: measured with
// libvirtd 9.0, a 9 MiB file parses and one over 10 MiB is refused ("Value
// too large for defined data type", virFileReadAll's cap); lines have no
// length limit (a 70,000-character comment or value parses).
const MaxQEMUConfSize = 10 << 20

// ParseQEMUConf reads the *_tls_x509_cert_dir settings of libvirt's
// qemu.conf. A service without its own setting uses
// default_tls_x509_cert_dir (itself /etc/pki/qemu when unset), as libvirt
// does. The result is sorted by directory, then endpoint.
//
// path is read with [safefile.ReadNamed]: "-" reads standard input.
func ParseQEMUConf(path string, stdin io.Reader) ([]QEMUConfDir, error) {
	data, err := safefile.ReadNamed(path, safefile.Named{Stdin: stdin, Max: MaxQEMUConfSize})
	if err != nil {
		return nil, err
	}
	return parseQEMUConf(path, data)
}

// parseQEMUConf is ParseQEMUConf over the file's content.
func parseQEMUConf(path string, data []byte) ([]QEMUConfDir, error) {
	settings := map[string]string{}
	// Lines of any length, as libvirt reads them: a bufio.Scanner's
	// 64 KiB default would end the parsing silently at a long line.
	rest := string(data)
	for n := 1; rest != ""; n++ {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			continue // lists spanning lines and other settings are not ours
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		switch {
		case strings.HasSuffix(key, "_tls_x509_cert_dir"), strings.HasSuffix(key, "_tls_x509_secret_uuid"):
			if len(val) < 2 || val[0] != '"' || val[len(val)-1] != '"' {
				return nil, fmt.Errorf("%s:%d: %s: want a quoted path", path, n, key)
			}
			settings[key] = val[1 : len(val)-1]
		case strings.HasSuffix(key, "_tls_x509_verify"):
			v := strings.TrimSpace(strings.SplitN(val, "#", 2)[0])
			if v != "0" && v != "1" {
				return nil, fmt.Errorf("%s:%d: %s: want 0 or 1", path, n, key)
			}
			settings[key] = v
		}
	}
	def := settings["default_tls_x509_cert_dir"]
	if def == "" {
		def = "/etc/pki/qemu"
	}
	type key struct {
		dir, ep, secret string
		verify          bool
	}
	byKey := map[key]*QEMUConfDir{}
	for _, svc := range qemuConfServices {
		dir := settings[svc.name+"_tls_x509_cert_dir"]
		if dir == "" {
			dir = def
		}
		secret := settings[svc.name+"_tls_x509_secret_uuid"]
		if secret == "" {
			secret = settings["default_tls_x509_secret_uuid"]
		}
		verify := svc.verify
		if v, ok := settings[svc.name+"_tls_x509_verify"]; ok && svc.hasVerify {
			verify = v == "1"
		} else if v, ok := settings["default_tls_x509_verify"]; ok && svc.hasVerify {
			verify = v == "1"
		}
		for _, ep := range svc.endpoints {
			v := verify
			if ep == creds.EndpointClient {
				v = true
			}
			k := key{dir, string(ep), secret, v}
			if byKey[k] == nil {
				byKey[k] = &QEMUConfDir{Dir: dir, Endpoint: ep, Verify: v, SecretUUID: secret}
			}
			byKey[k].Services = append(byKey[k].Services, svc.name)
		}
	}
	var out []QEMUConfDir
	for _, d := range byKey {
		out = append(out, *d)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Dir != out[j].Dir {
			return out[i].Dir < out[j].Dir
		}
		if out[i].Endpoint != out[j].Endpoint {
			return out[i].Endpoint < out[j].Endpoint
		}
		return out[i].Services[0] < out[j].Services[0]
	})
	return out, nil
}

// Target is the object libvirt makes of d: the directory as its
// endpoint, with the verify-peer libvirt gives it, and the secret UUID
// an encrypted key needs.
func (d QEMUConfDir) Target(extra string) (Target, error) {
	id := fmt.Sprintf("%s-%s", strings.Join(d.Services, "_"), d.Endpoint)
	vp := "verify-peer=no"
	if d.Verify {
		vp = "verify-peer=yes"
	}
	if extra != "" {
		vp = extra // the command line wins
	}
	t, err := DirTargetWith(id, d.Dir, d.Endpoint, vp)
	if err != nil {
		return Target{}, fmt.Errorf("%s (%s_tls_x509_cert_dir): %w", d.Dir, d.Services[0], err)
	}
	t.Identity = id
	t.SecretUUID = d.SecretUUID
	t.Note += fmt.Sprintf(" (qemu.conf: %s, %s)", strings.Join(d.Services, ", "), vp)
	return t, nil
}
