package creds_test

import (
	"testing"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/tlscreds/tlscreds/fixtures"
)

// secretVolumeFiles are a server's files as a kubernetes.io/tls Secret
// names them.
func secretVolumeFiles(t *testing.T, p *fixtures.PKI) map[string][]byte {
	t.Helper()
	key, err := p.Server.KeyPEM(privkey.PKCS8, nil)
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{"tls.crt": p.Server.ChainPEM(), "tls.key": key, "ca.crt": p.Root.CertPEM()}
}

// TestRegistrySecretVolumeSwap mounts a Secret as the kubelet does
// (files behind a "..data" link to a hidden directory) and swaps it
// atomically: the registry's poll must see the swap and serve the new
// certificate; a swap to a certificate without its key is refused and
// the previous one stays in service.
func TestRegistrySecretVolumeSwap(t *testing.T) {
	p1 := labPKI(t, fixtures.PKIOptions{})
	p2 := labPKI(t, fixtures.PKIOptions{})
	dir := t.TempDir() + "/web-tls"
	if err := fixtures.WriteSecretVolume(dir, secretVolumeFiles(t, p1)); err != nil {
		t.Fatal(err)
	}
	sp, _, err := creds.ParseSpec("tls-creds-x509,id=web,endpoint=server,layout=kubernetes,dir=" + dir)
	if err != nil {
		t.Fatal(err)
	}
	reg := creds.NewRegistry()
	src, err := reg.Add(sp, creds.LoadOptions{Now: labClock})
	if err != nil {
		t.Fatal(err)
	}
	serial := func() string { return src.Current().Identities[0].Leaf().SerialNumber.String() }
	if serial() != p1.Server.Cert.SerialNumber.String() {
		t.Fatal("the mounted Secret's certificate is not served")
	}
	w := creds.NewWatcher(reg)
	var evs []creds.Event
	w.Poll(func(e creds.Event) { evs = append(evs, e) })

	if err := fixtures.WriteSecretVolume(dir, secretVolumeFiles(t, p2)); err != nil {
		t.Fatal(err)
	}
	w.Poll(func(e creds.Event) { evs = append(evs, e) })
	if len(evs) != 1 || !evs[0].Changed || evs[0].Err != nil {
		t.Fatalf("after the ..data swap: events %+v", evs)
	}
	if serial() != p2.Server.Cert.SerialNumber.String() {
		t.Fatal("after the ..data swap the old certificate is still served")
	}

	bad := secretVolumeFiles(t, p1)
	bad["tls.key"] = secretVolumeFiles(t, p2)["tls.key"] // p1's certificate, p2's key
	if err := fixtures.WriteSecretVolume(dir, bad); err != nil {
		t.Fatal(err)
	}
	w.Poll(func(e creds.Event) { evs = append(evs, e) })
	if len(evs) != 2 || evs[1].Err == nil {
		t.Fatalf("a swap to a mismatched key: events %+v", evs)
	}
	if serial() != p2.Server.Cert.SerialNumber.String() {
		t.Fatal("a refused swap replaced the certificate in service")
	}
}
