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
var qemuConfServices = []struct {
	name      string
	endpoints []creds.Endpoint
}{
	{"vnc", []creds.Endpoint{creds.EndpointServer}},
	{"spice", []creds.Endpoint{creds.EndpointServer}},
	{"chardev", []creds.Endpoint{creds.EndpointServer, creds.EndpointClient}},
	{"migrate", []creds.Endpoint{creds.EndpointServer, creds.EndpointClient}},
	{"backup", []creds.Endpoint{creds.EndpointServer}},
	{"nbd", []creds.Endpoint{creds.EndpointClient}},
}

// QEMUConfDir is one credential directory a qemu.conf names, with the
// endpoint libvirt uses it as and the services that use it.
type QEMUConfDir struct {
	Dir      string
	Endpoint creds.Endpoint
	Services []string
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
		if !strings.HasSuffix(key, "_tls_x509_cert_dir") {
			continue
		}
		if len(val) < 2 || val[0] != '"' || val[len(val)-1] != '"' {
			return nil, fmt.Errorf("%s:%d: %s: want a quoted path", path, n, key)
		}
		settings[key] = val[1 : len(val)-1]
	}
	def := settings["default_tls_x509_cert_dir"]
	if def == "" {
		def = "/etc/pki/qemu"
	}
	byKey := map[[2]string]*QEMUConfDir{}
	for _, svc := range qemuConfServices {
		dir := settings[svc.name+"_tls_x509_cert_dir"]
		if dir == "" {
			dir = def
		}
		for _, ep := range svc.endpoints {
			k := [2]string{dir, string(ep)}
			if byKey[k] == nil {
				byKey[k] = &QEMUConfDir{Dir: dir, Endpoint: ep}
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
		return out[i].Endpoint < out[j].Endpoint
	})
	return out, nil
}
