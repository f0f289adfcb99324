package diagnose

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/tlscreds/tlscreds/creds"
)

// helperEnv, when set, makes the test binary run one probe instead of the
// tests: how TestGnuTLSServer probes a server inside a network namespace.
const helperEnv = "TLSCREDS_DIAGNOSE_HELPER_ADDR"

func TestMain(m *testing.M) {
	if addr := os.Getenv(helperEnv); addr != "" {
		os.Exit(helperProbe(addr))
	}
	flag.Parse()
	startLiveEarly()
	code := m.Run()
	stopLiveEarly()
	os.Exit(code)
}

// helperProbe probes addr as the client object in $CREDS (without its
// certificate when $NOCERT is set) and prints one "cause: ID" line per
// error finding, then "ok: BOOL".
func helperProbe(addr string) int {
	sp, _, err := creds.ParseSpec("tls-creds-x509,id=cli,endpoint=client,dir=" + os.Getenv("CREDS"))
	if err != nil {
		fmt.Println("error:", err)
		return 2
	}
	obj, err := creds.Load(sp, creds.LoadOptions{})
	if err != nil {
		fmt.Println("error:", err)
		return 2
	}
	var o ProbeOptions
	if err := o.UseObject(obj); err != nil {
		fmt.Println("error:", err)
		return 2
	}
	if os.Getenv("NOCERT") != "" {
		o.Certificate = nil
	}
	o.ServerName, o.Timeout = os.Getenv("SERVERNAME"), 5*time.Second
	r := Probe(context.Background(), addr, o)
	fs := Diagnose(r)
	_ = WriteReportTable(os.Stdout, r, fs)
	for _, f := range fs {
		fmt.Printf("cause: %s %s\n", f.Severity, f.Rule)
	}
	fmt.Printf("ok: %v\n", r.OK)
	return 0
}
