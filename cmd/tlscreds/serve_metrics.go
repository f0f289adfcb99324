package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/cause"
	"github.com/tlscreds/tlscreds/lint/metrics"
)

// serveMetrics serves the metrics rendering of serve's events on addr's
// /metrics (nothing when addr is empty): reloads by object and result,
// failed handshakes by cause ID, and each object's served certificate
// expiry. They are live counters, rendered per scrape (a few series).
func serveMetrics(ctx context.Context, addr string, reg *creds.Registry, info io.Writer) (*metrics.Counters, error) {
	if addr == "" {
		return nil, nil
	}
	var ids []string
	for _, c := range cause.All() {
		ids = append(ids, c.ID)
	}
	counters := metrics.NewCounters(ids...)
	counters.ServingFrom(reg)
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, usageErrf("--metrics-listen: %v", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", counters.Handler(version))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	fmt.Fprintf(info, "tlscreds serve: metrics on http://%s/metrics\n", l.Addr())
	return counters, nil
}
