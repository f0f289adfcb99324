package kubesecret

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/tlscreds/tlscreds/fixtures"
)

var gen = fixtures.New(fixtures.TestClock)

// pemPair returns a generated server certificate, key and CA in PEM.
func pemPair(t *testing.T) (cert, key, ca []byte) {
	t.Helper()
	p, err := gen.PKI(fixtures.PKIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cert = p.Server.CertPEM()
	key, err = p.Server.KeyPEM(privkey.PKCS8, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key, p.Root.CertPEM()
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// kubectlYAMLItem is one Secret as `kubectl get secret -o yaml` prints it
// in a List (keys sorted, the sequence not indented), at indent.
func kubectlYAMLItem(ns, name, typ string, data map[string][]byte, indent string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s- apiVersion: v1\n%s  data:\n", indent, indent)
	for _, k := range []string{"ca.crt", "tls.crt", "tls.key"} {
		if v, ok := data[k]; ok {
			fmt.Fprintf(&b, "%s    %s: %s\n", indent, k, b64(v))
		}
	}
	fmt.Fprintf(&b, "%s  kind: Secret\n%s  metadata:\n%s    creationTimestamp: \"2026-03-01T12:00:00Z\"\n%s    name: %s\n%s    namespace: %s\n%s    resourceVersion: \"42\"\n%s  type: %s\n",
		indent, indent, indent, indent, name, indent, ns, indent, indent, typ)
	return b.String()
}

func decodeAll(t *testing.T, text string) ([]*Secret, error) {
	t.Helper()
	var out []*Secret
	err := Decode(strings.NewReader(text), "secrets.yaml", func(s *Secret) error { out = append(out, s); return nil })
	return out, err
}

func TestDecodeFormats(t *testing.T) {
	cert, key, ca := pemPair(t)
	data := map[string][]byte{"tls.crt": cert, "tls.key": key, "ca.crt": ca}
	yamlList := "apiVersion: v1\nitems:\n" +
		kubectlYAMLItem("prod", "web-tls", "kubernetes.io/tls", data, "") +
		kubectlYAMLItem("prod", "db-ca", "Opaque", map[string][]byte{"ca.crt": ca}, "") +
		kubectlYAMLItem("prod", "token", "Opaque", map[string][]byte{}, "") +
		kubectlYAMLItem("kube-system", "sa", "kubernetes.io/service-account-token", map[string][]byte{}, "") +
		"kind: List\nmetadata:\n  resourceVersion: \"\"\n"
	indented := "apiVersion: v1\nkind: List\nitems:\n" + kubectlYAMLItem("prod", "web-tls", "kubernetes.io/tls", data, "  ") +
		kubectlYAMLItem("prod", "db-ca", "Opaque", map[string][]byte{"ca.crt": ca}, "  ")
	type item map[string]any
	mk := func(ns, name, typ string, d map[string][]byte) item {
		enc := map[string]string{}
		for k, v := range d {
			enc[k] = b64(v)
		}
		return item{"apiVersion": "v1", "kind": "Secret", "type": typ, "data": enc,
			"metadata": item{"name": name, "namespace": ns, "annotations": item{"x": "y"}}}
	}
	jsonList, _ := json.MarshalIndent(item{"apiVersion": "v1", "kind": "List", "metadata": item{"resourceVersion": ""},
		"items": []item{mk("prod", "web-tls", "kubernetes.io/tls", data), mk("prod", "db-ca", "Opaque", map[string][]byte{"ca.crt": ca})}}, "", "    ")
	jsonOne, _ := json.Marshal(mk("prod", "web-tls", "kubernetes.io/tls", data))
	indentedCert := "    " + strings.ReplaceAll(strings.TrimSpace(string(cert)), "\n", "\n    ")
	multiDoc := "# a manifest with stringData\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: b\n---\n" +
		"apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-tls\n  namespace: prod\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: |\n" +
		indentedCert + "\n" +
		"data:\n  tls.key: " + b64(key) + "\n  ca.crt: " + b64(ca) + "\n---\n" +
		"apiVersion: v1\nkind: Secret\nmetadata: {name: db-ca, namespace: prod}\ndata: {ca.crt: " + b64(ca) + "}\n...\n"
	flow := `{"apiVersion": "v1", "kind": "List", "items": []}`
	for _, tt := range []struct {
		name string
		text string
		want []string
	}{
		{"kubectl yaml list", yamlList, []string{"prod/web-tls", "prod/db-ca"}},
		{"indented yaml list", indented, []string{"prod/web-tls", "prod/db-ca"}},
		{"kubectl json list", string(jsonList), []string{"prod/web-tls", "prod/db-ca"}},
		{"json object", string(jsonOne), []string{"prod/web-tls"}},
		{"yaml documents", multiDoc, []string{"prod/web-tls", "prod/db-ca"}},
		{"empty json list", flow, nil},
		{"empty", "\n\n", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeAll(t, tt.text)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, s := range got {
				ids = append(ids, s.Identity())
			}
			if fmt.Sprint(ids) != fmt.Sprint(tt.want) {
				t.Fatalf("secrets %v, want %v", ids, tt.want)
			}
			if len(got) == 0 {
				return
			}
			s := got[0]
			if string(s.Data["tls.crt"]) != string(cert) && strings.TrimSpace(string(s.Data["tls.crt"])) != strings.TrimSpace(string(cert)) {
				t.Errorf("tls.crt differs from what was encoded")
			}
			if string(s.Data["ca.crt"]) != string(ca) {
				t.Errorf("ca.crt differs from what was encoded")
			}
			// The Secret reads as a credential object held in memory.
			sp, err := s.Spec(creds.EndpointServer)
			if err != nil {
				t.Fatal(err)
			}
			obj, err := creds.Load(sp, creds.LoadOptions{Files: s.Files()})
			if err != nil {
				t.Fatalf("loading %s: %v", s.Identity(), err)
			}
			if len(obj.Identities) != 1 {
				t.Errorf("%d identities, want 1", len(obj.Identities))
			}
		})
	}
}

func TestDecodeRefuses(t *testing.T) {
	big := strings.Repeat("QUFB", MaxSecretBytes/4+10)
	bomb := "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nx0: &a0 [aaaaaaaaaa, aaaaaaaaaa, aaaaaaaaaa, aaaaaaaaaa, aaaaaaaaaa, aaaaaaaaaa, aaaaaaaaaa, aaaaaaaaaa, aaaaaaaaaa]\n"
	for i := 1; i < 12; i++ {
		bomb += fmt.Sprintf("x%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	for _, tt := range []struct {
		name, text, want string
	}{
		{"yaml secret too large", "apiVersion: v1\nitems:\n- kind: Secret\n  metadata: {name: a}\n  data:\n    tls.crt: " + big + "\nkind: List\n", "larger than"},
		{"json secret too large", `{"kind":"List","items":[{"kind":"Secret","metadata":{"name":"a"},"data":{"tls.crt":"` + big + `"}}]}`, "larger than"},
		{"not base64", "kind: Secret\nmetadata: {name: a, namespace: n}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: '***'\n", "n/a key tls.crt: data is not base64"},
		{"alias bomb", bomb + "data: *a11\n", "secrets.yaml: object #1"},
		{"not yaml", "kind: Secret\nmetadata: [\n", "secrets.yaml: object #1"},
		{"bad json", `{"kind": "Secret", "metadata": `, "secrets.yaml: object #1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeAll(t, tt.text)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if len(err.Error()) > 400 {
				t.Errorf("error is %d bytes long, want one line: %.200s", len(err.Error()), err)
			}
		})
	}
}

func TestParsePath(t *testing.T) {
	s := &Secret{Namespace: "prod", Name: "web-tls"}
	ns, name, key, ok := ParsePath(s.Path("tls.crt"))
	if !ok || ns != "prod" || name != "web-tls" || key != "tls.crt" {
		t.Fatalf("ParsePath(%q) = %q %q %q %v", s.Path("tls.crt"), ns, name, key, ok)
	}
	if _, _, _, ok := ParsePath("/etc/pki/qemu/ca-cert.pem"); ok {
		t.Error("a file path parsed as a Secret's")
	}
}
