package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/tlscreds/tlscreds/creds"
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
			"   [--echo] [--handshake-timeout D] [--reload-interval D] [--max-conns N]",
		Description: "Logs one line per connection: who connected, or why the handshake failed from the server's\n" +
			"side. Reloads the credential files on SIGHUP and when they change (polled every --reload-interval);\n" +
			"a reload that fails keeps the previous certificates in service. Stops on SIGINT or SIGTERM.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "creds", Usage: "server credential directory (layout detected)"},
			&cli.StringSliceFlag{Name: "object", Usage: "QEMU object spec of the server object (and secret objects) (repeatable)"},
			&cli.StringFlag{Name: "manifest", Usage: "manifest file; serve its --endpoint with SNI, authz and pins"},
			&cli.StringFlag{Name: "endpoint", Usage: "server endpoint of the manifest to serve"},
			&cli.StringFlag{Name: "listen", Value: "127.0.0.1:0", Usage: "address to listen on"},
			&cli.BoolFlag{Name: "echo", Usage: "echo what clients send instead of one greeting line"},
			&cli.DurationFlag{Name: "handshake-timeout", Value: 10 * time.Second, Usage: "bound on each handshake"},
			&cli.DurationFlag{Name: "reload-interval", Value: 2 * time.Second, Usage: "how often to look for changed files"},
			&cli.IntFlag{Name: "max-conns", Value: 256, Usage: "concurrent connections"},
		},
		Action: runServe,
	}
}

func runServe(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageErrf("unexpected argument %q (flags go before arguments)", c.Args().First())
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
	fmt.Fprintf(out, "tlscreds serve: listening on %s (%s)\n", ln.Addr(), what)
	logReload := func(ev creds.Event) { fmt.Fprintln(out, reloadLine(ev)) }
	go func() { _ = reg.Watch(ctx, c.Duration("reload-interval"), logReload) }()
	go func() { _ = creds.ReloadOnSignal(ctx, reg, logReload) }()
	s := serve.New(ln, serve.Options{
		Config: cfg, Echo: c.Bool("echo"), HandshakeTimeout: c.Duration("handshake-timeout"),
		MaxConns: c.Int("max-conns"), Log: func(ev serve.Event) { fmt.Fprintln(out, connLine(ev)) },
	})
	err = s.Serve(ctx)
	fmt.Fprintln(out, "tlscreds serve: stopped")
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
		if err := specs.Add("tls-creds-x509,id=serve,endpoint=server,layout=auto,dir=" + escapeSpec(dir)); err != nil {
			return nil, err
		}
	case len(objs) > 0:
		for _, o := range objs {
			if err := specs.Add(o); err != nil {
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

// connLine is one log line per connection; client-controlled text (a DN,
// the first bytes of a plain-text request) is made printable.
func connLine(ev serve.Event) string { return lint.Printable(rawConnLine(ev)) }

func rawConnLine(ev serve.Event) string {
	ts := ev.Time.UTC().Format(time.RFC3339)
	if !ev.OK {
		return fmt.Sprintf("%s %s FAILED %s: %s", ts, ev.Remote, ev.Cause, ev.Message)
	}
	client := "no client certificate"
	if ev.Client != "" {
		client = "client " + ev.Client
	}
	resumed := ""
	if ev.Resumed {
		resumed = " (resumed)"
	}
	return fmt.Sprintf("%s %s ok %s %s, %s%s", ts, ev.Remote, tls.VersionName(ev.Version), tls.CipherSuiteName(ev.Suite), client, resumed)
}

func reloadLine(ev creds.Event) string {
	if ev.Err != nil {
		return fmt.Sprintf("tlscreds serve: reload of %s (%s) refused, generation %d stays in service: %v", ev.ID, ev.Trigger, ev.Gen, ev.Err)
	}
	return fmt.Sprintf("tlscreds serve: reloaded %s (%s): generation %d in service", ev.ID, ev.Trigger, ev.Gen)
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

func escapeSpec(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ',' {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
