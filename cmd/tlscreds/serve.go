package main

import (
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/keyval"
	"github.com/tlscreds/tlscreds/creds/manifest"
	"github.com/tlscreds/tlscreds/creds/serve"
	"github.com/tlscreds/tlscreds/lint"
	"github.com/urfave/cli/v2"
)

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "run a TLS test server over a credential object and say why each failed handshake failed",
		UsageText: "tlscreds serve (--creds DIR | --object SPEC... | --manifest FILE --endpoint NAME) --listen ADDR\n" +
			"   [--echo] [--handshake-timeout D] [--reload-interval D] [--max-conns N] [--log-format text|json]",
		Description: "Logs each connection's handshake (the SNI name, the object chosen, the TLS version, the client\n" +
			"certificate, or why it failed, from the server's side) and how the connection ended (close_notify,\n" +
			"a close without close_notify, a reset), one line each, or as JSON Lines with --log-format json.\n" +
			"Reloads the credential files on SIGHUP and when they change (polled every --reload-interval);\n" +
			"a reload that fails keeps the previous certificates in service. Stops on SIGINT or SIGTERM.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "creds", Usage: "server credential directory (layout detected)"},
			&cli.StringSliceFlag{Name: "object", Usage: "QEMU object spec of the server object (and secret objects) (repeatable)"},
			&cli.StringFlag{Name: "manifest", Usage: "manifest file; serve its --endpoint with SNI, authz and pins"},
			&cli.StringFlag{Name: "endpoint", Usage: "server endpoint of the manifest to serve"},
			&cli.StringFlag{Name: "listen", Value: "127.0.0.1:0", Usage: "address to listen on"},
			&cli.BoolFlag{Name: "echo", Usage: "echo what clients send instead of one greeting line"},
			&cli.StringFlag{Name: "handshake-timeout", Value: "10s", Usage: "bound on each handshake (1ms to 1d)"},
			&cli.StringFlag{Name: "reload-interval", Value: "2s", Usage: "how often to look for changed files (10ms to 1d)"},
			&cli.IntFlag{Name: "max-conns", Value: 256, Usage: "concurrent connections (1 to 1048576)"},
			&cli.StringFlag{Name: "metrics-listen", Usage: "also serve Prometheus metrics on this address's /metrics: reloads, handshake failures by cause, the served certificate's expiry (docs/fleet.md)"},
			&cli.StringFlag{Name: "log-format", Value: "text", Usage: "text (one line per event) or json (JSON Lines, schema " + serve.EventSchema + ")"},
		},
		Action: runServe,
	}
}

func runServe(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageErrf("unexpected argument %q (flags go before arguments)", c.Args().First())
	}
	logFormat := c.String("log-format")
	if logFormat != "text" && logFormat != "json" {
		return usageErrf("--log-format %q: want text or json", logFormat)
	}
	handshakeTimeout, err := parseDuration("handshake-timeout", c.String("handshake-timeout"))
	if err != nil {
		return usageErr(err)
	}
	reloadInterval, err := parseDuration("reload-interval", c.String("reload-interval"))
	if err != nil {
		return usageErr(err)
	}
	if err := checkInt("max-conns", c.Int("max-conns")); err != nil {
		return usageErr(err)
	}
	reg, cfg, what, err := serveConfig(c)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.String("listen"))
	if err != nil {
		return usageErr(fmt.Errorf("--listen: %w", err))
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	out := &lockedWriter{w: c.App.Writer}
	// With JSON Lines on standard output, the server's own messages go
	// to standard error.
	info := io.Writer(out)
	if logFormat == "json" {
		info = &lockedWriter{w: c.App.ErrWriter}
	}
	fmt.Fprintf(info, "tlscreds serve: listening on %s (%s)\n", ln.Addr(), lint.Printable(what))
	counters, err := serveMetrics(ctx, c.String("metrics-listen"), reg, info)
	if err != nil {
		return err
	}
	// Count a reload before logging it, as handshakes are counted before
	// their log line: whoever reads the line and then scrapes sees it
	// counted (TestServeMetrics raced the other order under -race).
	logReload := func(ev creds.Event) {
		if counters != nil {
			counters.Reload(ev)
			counters.ServingFrom(reg)
		}
		fmt.Fprintln(info, reloadLine(ev))
	}
	go func() { _ = reg.Watch(ctx, reloadInterval, logReload) }()
	go func() { _ = creds.ReloadOnSignal(ctx, reg, logReload) }()
	var objects []*creds.Source
	for _, id := range reg.IDs() {
		if src, err := reg.Get(id); err == nil {
			objects = append(objects, src)
		}
	}
	logEvent := func(ev serve.Event) { fmt.Fprintln(out, ev.LogLine()) }
	if logFormat == "json" {
		logEvent = func(ev serve.Event) {
			if b, err := json.Marshal(ev); err == nil {
				fmt.Fprintln(out, string(b))
			}
		}
	}
	if counters != nil {
		render := logEvent
		logEvent = func(ev serve.Event) { counters.Serve(ev); render(ev) }
	}
	s := serve.New(ln, serve.Options{
		Config: cfg, Objects: objects, Echo: c.Bool("echo"), HandshakeTimeout: handshakeTimeout,
		MaxConns: c.Int("max-conns"), Log: logEvent,
	})
	err = s.Serve(ctx)
	fmt.Fprintln(info, "tlscreds serve: stopped")
	return err
}

// serveConfig loads the objects to serve and builds the server config:
// from a manifest endpoint, or from --creds / --object. Objects load only
// when lint finds no error in them (QEMU's sanity check), and so do
// their reloads.
func serveConfig(c *cli.Context) (*creds.Registry, *tls.Config, string, error) {
	check := lint.LoadCheck(lint.Options{})
	if mf := c.String("manifest"); mf != "" {
		ep := c.String("endpoint")
		if ep == "" || c.String("creds") != "" || len(c.StringSlice("object")) > 0 {
			return nil, nil, "", usageErrf("--manifest goes with --endpoint NAME, and without --creds or --object")
		}
		m, err := manifest.Load(mf)
		if err != nil {
			return nil, nil, "", usageErr(err)
		}
		reg, err := m.Registry(manifest.Options{Check: check})
		if err != nil {
			return nil, nil, "", usageErr(err, "run `tlscreds lint --manifest "+mf+"` for every problem and its fix")
		}
		cfg, err := m.ServerConfig(ep)
		if err != nil {
			return nil, nil, "", usageErr(err)
		}
		return reg, cfg, fmt.Sprintf("endpoint %s of %s", ep, mf), nil
	}
	if c.String("endpoint") != "" {
		return nil, nil, "", usageErrf("--endpoint names an endpoint of a --manifest")
	}
	specs, err := serveSpecs(c)
	if err != nil {
		return nil, nil, "", usageErr(err)
	}
	reg := creds.NewRegistry()
	if err := reg.AddSpecs(specs, check); err != nil {
		return nil, nil, "", usageErr(err, "run `tlscreds lint` on the directory for every problem and its fix")
	}
	srv := serverObject(specs)
	cfg, err := reg.ServerConfig(srv.ID, creds.ServerOptions{})
	if err != nil {
		return nil, nil, "", usageErr(err)
	}
	return reg, cfg, fmt.Sprintf("object %s, %s", srv.ID, describeSpec(srv)), nil
}

func serveSpecs(c *cli.Context) (*creds.Specs, error) {
	specs := &creds.Specs{}
	dir, objs := c.String("creds"), c.StringSlice("object")
	switch {
	case dir != "" && len(objs) > 0:
		return nil, errors.New("give --creds or --object, not both")
	case dir != "":
		if err := specs.Add(keyval.Object(string(creds.KindX509), "id", "serve", "endpoint", "server", "layout", "auto", "dir", dir)); err != nil {
			return nil, err
		}
	case len(objs) > 0:
		for _, o := range objs {
			if err := addSpec(specs, o); err != nil {
				return nil, err
			}
		}
	default:
		return nil, errors.New("give the server's credentials: --creds DIR or --object SPEC")
	}
	if serverObject(specs) == nil {
		return nil, errors.New("no tls-creds-x509 object with endpoint=server to serve")
	}
	return specs, nil
}

func serverObject(specs *creds.Specs) *creds.Spec {
	for _, sp := range specs.Objects {
		if sp.Endpoint == creds.EndpointServer && sp.Kind == creds.KindX509 {
			return sp
		}
	}
	return nil
}

func describeSpec(sp *creds.Spec) string {
	peer := "verify-peer=on: client certificates required"
	if !sp.VerifyPeer {
		peer = "verify-peer=off"
	}
	if sp.Dir != "" {
		return fmt.Sprintf("dir %s, %s", sp.Dir, peer)
	}
	return peer
}

func reloadLine(ev creds.Event) string {
	if ev.Err != nil {
		return fmt.Sprintf("tlscreds serve: reload of %s (%s) refused, generation %d stays in service: %s", lint.Printable(ev.ID), ev.Trigger, ev.Gen, lint.Printable(ev.Err.Error()))
	}
	return fmt.Sprintf("tlscreds serve: reloaded %s (%s): generation %d in service", lint.Printable(ev.ID), ev.Trigger, ev.Gen)
}

// lockedWriter serialises lines written from connection goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
