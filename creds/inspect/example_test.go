package inspect_test

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/tlscreds/tlscreds/creds/inspect"
	"github.com/tlscreds/tlscreds/fixtures"
)

// A Go program describes a credential directory as `tlscreds inspect`
// does: the layout and endpoint it detected, whether QEMU would load it,
// and each identity's chain up to its root.
func ExampleDir() {
	dir, err := os.MkdirTemp("", "inspect")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	p, err := fixtures.New(fixtures.TestClock).PKI(fixtures.PKIOptions{})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := p.Write(dir, fixtures.WriteOptions{}); err != nil {
		log.Fatal(err)
	}

	o, err := inspect.Dir("tls0", filepath.Join(dir, "server"), "", nil, fixtures.TestClock)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(o.Layout, o.Endpoint, "("+o.EndpointReason+")", "loads:", *o.Loads)
	for _, ch := range o.Chains {
		for _, l := range ch.Links {
			fmt.Printf("%s [%s] self-signed=%v\n", l.Subject, l.Status, l.SelfSigned)
		}
	}
	r := inspect.NewReport()
	r.Objects = append(r.Objects, o)
	b, _ := json.Marshal(r)
	var doc map[string]any
	_ = json.Unmarshal(b, &doc)
	fmt.Println(doc["schema"])
	// Output:
	// qemu server (server-cert.pem is present) loads: true
	// O=tlscreds test PKI,CN=localhost [ok] self-signed=false
	// O=tlscreds test PKI,CN=tlscreds test CA [ok] self-signed=true
	// tlscreds.inspect/v1
}
