package creds_test

import (
	"crypto/tls"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/layout"
	"github.com/tlscreds/tlscreds/creds/privkey"
	"github.com/tlscreds/tlscreds/fixtures"
)

func labSpec(t testing.TB, text string) *creds.Spec {
	t.Helper()
	sp, _, err := creds.ParseSpec(text)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func TestRegistryAddGet(t *testing.T) {
	p := labPKI(t, fixtures.PKIOptions{})
	srvDir, cliDir := labWriteDir(t, p.ServerDir()), labWriteDir(t, p.ClientDir(0))
	r := creds.NewRegistry()

	_, err := r.Get("srv")
	if !errors.Is(err, creds.ErrUnknownObject) || !strings.Contains(err.Error(), "holds no objects") {
		t.Errorf("empty registry: %v", err)
	}

	srv, err := r.Add(labSpec(t, "tls-creds-x509,id=srv,endpoint=server,dir="+srvDir), creds.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Add(labSpec(t, "tls-creds-x509,id=cli,dir="+cliDir), creds.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.IDs(), " "); got != "cli srv" {
		t.Errorf("IDs() = %q, want sorted %q", got, "cli srv")
	}
	if got, err := r.Get("srv"); err != nil || got != srv {
		t.Errorf("Get(srv) = %p, %v; want %p", got, err, srv)
	}

	_, err = r.Get("tls0")
	if !errors.Is(err, creds.ErrUnknownObject) || !strings.Contains(err.Error(), `"tls0" (known ids: cli, srv)`) {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := r.ServerConfig("tls0", creds.ServerOptions{}); !errors.Is(err, creds.ErrUnknownObject) {
		t.Errorf("ServerConfig(unknown): %v", err)
	}
	if _, err := r.ClientConfig("tls0", "localhost", creds.ClientOptions{}); !errors.Is(err, creds.ErrUnknownObject) {
		t.Errorf("ClientConfig(unknown): %v", err)
	}

	// A duplicate id is refused before anything is loaded: this dir
	// does not even exist.
	_, err = r.Add(labSpec(t, "tls-creds-x509,id=srv,endpoint=server,dir=/nonexistent"), creds.LoadOptions{})
	if !errors.Is(err, creds.ErrDuplicateID) || !strings.Contains(err.Error(), `"srv"`) {
		t.Errorf("duplicate id: %v", err)
	}
	if got, _ := r.Get("srv"); got != srv {
		t.Error("a refused Add replaced the source")
	}
}

func TestRegistryAddFailsOnFirstLoad(t *testing.T) {
	dir := t.TempDir() // empty: no ca-cert.pem
	sp := labSpec(t, "tls-creds-x509,id=srv,endpoint=server,dir="+dir)
	if _, err := creds.NewSource(sp, creds.LoadOptions{}); !errors.Is(err, creds.ErrMissingFile) {
		t.Errorf("NewSource over an empty dir: %v, want ErrMissingFile", err)
	}
	r := creds.NewRegistry()
	if _, err := r.Add(sp, creds.LoadOptions{}); err == nil {
		t.Error("Add over an empty dir succeeded")
	}
	if ids := r.IDs(); len(ids) != 0 {
		t.Errorf("IDs() = %v after a failed Add", ids)
	}
}

func TestRegistryAddSpecs(t *testing.T) {
	p := labPKI(t, fixtures.PKIOptions{})
	srvDir := labWriteDir(t, fixtures.Dir{CA: p.CABundle(), Server: p.Server,
		KeyFormat: privkey.EncryptedPKCS8, KeyPassword: []byte("s3cret")})
	cliDir := labWriteDir(t, p.ClientDir(0))

	var specs creds.Specs
	for _, s := range []string{
		"secret,id=sec0,data=s3cret",
		"tls-creds-x509,id=srv,endpoint=server,dir=" + srvDir + ",passwordid=sec0",
		"tls-creds-x509,id=cli,dir=" + cliDir + ",sanity-check=off",
	} {
		if err := specs.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	var checked []string
	check := func(m *creds.Material) error {
		mu.Lock()
		defer mu.Unlock()
		checked = append(checked, m.Spec.ID)
		return nil
	}
	r := creds.NewRegistry()
	if err := r.AddSpecs(&specs, check); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.IDs(), " "); got != "cli srv" {
		t.Errorf("IDs() = %q", got)
	}
	if got := strings.Join(checked, " "); got != "srv" {
		t.Errorf("check ran for %q, want srv only (cli has sanity-check=off)", got)
	}
	srv, _ := r.Get("srv")
	if id := srv.Current().Identity(); id == nil || !id.Leaf().Equal(p.Server.Cert) {
		t.Error("the encrypted server key was not loaded with the secret's password")
	}

	// The registry's factories work over what AddSpecs loaded.
	scfg, err := r.ServerConfig("srv", creds.ServerOptions{Time: labClock})
	if err != nil {
		t.Fatal(err)
	}
	ccfg, err := r.ClientConfig("cli", "localhost", creds.ClientOptions{Time: labClock})
	if err != nil {
		t.Fatal(err)
	}
	if _, sres, cerr := labRoundTrip(t, labServe(t, scfg), ccfg); cerr != nil || sres.Err != nil {
		t.Errorf("client: %v; server: %v", cerr, sres.Err)
	}

	// Loading again: every id is a duplicate, and nothing changes.
	if err := r.AddSpecs(&specs, nil); !errors.Is(err, creds.ErrDuplicateID) {
		t.Errorf("second AddSpecs: %v", err)
	}
}

func TestRegistryAddSpecsAllOrNothing(t *testing.T) {
	p := labPKI(t, fixtures.PKIOptions{})
	srvDir := labWriteDir(t, fixtures.Dir{CA: p.CABundle(), Server: p.Server,
		KeyFormat: privkey.EncryptedPKCS8, KeyPassword: []byte("s3cret")})
	var specs creds.Specs
	for _, s := range []string{
		"tls-creds-x509,id=good,dir=" + labWriteDir(t, p.ClientDir(0)),
		"tls-creds-x509,id=nosecret,endpoint=server,dir=" + srvDir + ",passwordid=missing",
		"tls-creds-x509,id=nodir,endpoint=server,dir=" + filepath.Join(t.TempDir(), "absent"),
	} {
		if err := specs.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	r := creds.NewRegistry()
	err := r.AddSpecs(&specs, nil)
	if err == nil {
		t.Fatal("AddSpecs succeeded")
	}
	if !errors.Is(err, creds.ErrNoSecret) || !errors.Is(err, creds.ErrMissingFile) {
		t.Errorf("error %q does not report both failures", err)
	}
	if ids := r.IDs(); len(ids) != 0 {
		t.Errorf("IDs() = %v after a failed AddSpecs, want none", ids)
	}
}

func TestRegistryReloadAll(t *testing.T) {
	p1, p2 := labPKI(t, fixtures.PKIOptions{}), labPKI(t, fixtures.PKIOptions{})
	goodDir, badDir := labWriteDir(t, p1.ServerDir()), labWriteDir(t, p1.ServerDir())
	r := creds.NewRegistry()
	var srcs []*creds.Source
	for _, s := range []string{
		"tls-creds-x509,id=bad,endpoint=server,dir=" + badDir,
		"tls-creds-x509,id=good,endpoint=server,dir=" + goodDir,
	} {
		src, err := r.Add(labSpec(t, s), creds.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	if err := r.ReloadAll(); err != nil {
		t.Fatalf("ReloadAll over unchanged files: %v", err)
	}
	labRewrite(t, goodDir, p2.ServerDir())
	if err := os.Remove(filepath.Join(badDir, "server-key.pem")); err != nil {
		t.Fatal(err)
	}
	err := r.ReloadAll()
	if err == nil || !strings.Contains(err.Error(), "creds: reload: object bad: ") || strings.Contains(err.Error(), "reload bad") || !errors.Is(err, creds.ErrUnpaired) {
		t.Errorf("ReloadAll: %v", err)
	}
	bad, good := srcs[0], srcs[1]
	if bad.Gen() != 1 || bad.Current().Identity() == nil {
		t.Error("the failed source lost its snapshot")
	}
	if good.Gen() != 2 || !good.Current().Identity().Leaf().Equal(p2.Server.Cert) {
		t.Error("a failure in one source stopped the reload of another")
	}
}

// TestRegistrySourceConcurrentUse reloads from several goroutines while others
// read (run with -race).
func TestRegistrySourceConcurrentUse(t *testing.T) {
	pkis := []*fixtures.PKI{labPKI(t, fixtures.PKIOptions{}), labPKI(t, fixtures.PKIOptions{})}
	dir := labWriteDir(t, pkis[0].ServerDir())
	src := labSource(t, "tls-creds-x509,id=srv,endpoint=server,dir="+dir)
	cfg := labServerConfig(t, src, creds.ServerOptions{})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := range 20 {
				if i == 0 {
					_, _ = pkis[j%2].ServerDir().Write(dir, layout.QEMU, true)
				}
				_, _ = src.Reload() // may fail while the files are half replaced
			}
		}()
		go func() {
			defer wg.Done()
			for range 200 {
				obj := src.Current()
				if obj == nil || obj.Identity() == nil || src.Gen() == 0 {
					t.Error("Current returned an unusable snapshot")
					return
				}
				c, err := cfg.GetConfigForClient(&tls.ClientHelloInfo{})
				if err != nil || len(c.Certificates) != 1 {
					t.Errorf("GetConfigForClient: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
