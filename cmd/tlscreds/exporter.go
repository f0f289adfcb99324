package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/tlscreds/tlscreds/creds/manifest"
	"github.com/tlscreds/tlscreds/lint"
	"github.com/tlscreds/tlscreds/lint/metrics"
	"github.com/urfave/cli/v2"
)

func exporterCommand() *cli.Command {
	return &cli.Command{
		Name:  "exporter",
		Usage: "serve lint's findings and certificate expiry as Prometheus metrics on /metrics",
		UsageText: "tlscreds exporter --listen ADDR [-r] [PATH...] [--manifest FILE] [--libvirt-qemu-conf FILE]\n" +
			"   [--kube-secrets FILE]... [--interval D] [--poll D] [--profile P] [--warn-within D|P%]",
		Description: "Checks every source now, then every --interval and whenever a file it read changes\n" +
			"(polled every --poll: one stat per file, so a Kubernetes Secret volume's symlink swap is seen).\n" +
			"After each check the metrics are rendered once; a scrape is served those bytes and never waits\n" +
			"for a check. Prometheus text format 0.0.4, or OpenMetrics when the scraper asks for it.\n" +
			"Metric names and labels: docs/fleet.md (x509-certificate-exporter v4's, plus tlscreds_*).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "listen", Usage: "address to serve /metrics on, e.g. 127.0.0.1:9793 or :9793"},
			&cli.BoolFlag{Name: "recursive", Aliases: []string{"r"}, Usage: "walk each PATH for credential directories"},
			&cli.StringFlag{Name: "manifest", Usage: "also check the objects of a manifest (docs/sharing.md)"},
			&cli.StringFlag{Name: "libvirt-qemu-conf", Usage: "also check the directories a libvirt qemu.conf names"},
			&cli.StringSliceFlag{Name: "kube-secrets", Usage: kubeSecretsUsage},
			enum(&cli.StringFlag{Name: "endpoint", Usage: "the endpoint of directories (default: detected from the files)"}, "server", "client"),
			enum(&cli.StringFlag{Name: "profile", Value: "qemu", EnvVars: []string{"TLSCREDS_PROFILE"},
				Usage: "whose rules decide errors: QEMU 10.2, QEMU up to 10.1, libvirt"}, profileNames()...),
			&cli.StringFlag{Name: "warn-within", Usage: "warn about certificates expiring within this time (e.g. 30d) or share of lifetime (e.g. 20%)"},
			&cli.StringFlag{Name: "interval", Value: "5m", Usage: "re-check every source this often"},
			&cli.StringFlag{Name: "poll", Value: "10s", Usage: "look for changed files this often (one stat per file read)"},
			&cli.StringSliceFlag{Name: "host", Usage: "name or address clients reach the servers by (repeatable)"},
			// parseLintFlags reads it; an exporter has no exit status.
			&cli.StringFlag{Name: "fail-on", Value: "error", Hidden: true},
		},
		Action: runExporter,
	}
}

func runExporter(c *cli.Context) error {
	args := c.Args().Slice()
	f, err := parseLintFlags(c)
	if err != nil {
		return usageErr(err)
	}
	listen := c.String("listen")
	if listen == "" {
		return usageErrf("--listen is required, e.g. --listen 127.0.0.1:9793")
	}
	interval, err := parseDuration("interval", c.String("interval"))
	if err != nil {
		return usageErr(err)
	}
	poll, err := parseDuration("poll", c.String("poll"))
	if err != nil {
		return usageErr(err)
	}
	sources, err := exporterSources(c, args, f)
	if err != nil {
		return usageErr(err)
	}
	if len(sources) == 0 {
		return usageErrf("nothing to export: give credential directories, -r TREE, --manifest, --kube-secrets or --libvirt-qemu-conf")
	}
	l, err := net.Listen("tcp", listen)
	if err != nil {
		return usageErrf("--listen %s: %v", listen, err)
	}
	errw := c.App.ErrWriter
	x := &metrics.Exporter{Sources: sources, Options: f.opts, Version: version,
		Log: func(s string) { fmt.Fprintf(errw, "tlscreds: exporter: %s\n", s) }}
	mux := http.NewServeMux()
	mux.Handle("/metrics", x)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintln(w, "tlscreds exporter: metrics are on /metrics")
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: time.Minute}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(errw, "tlscreds: exporter: serving http://%s/metrics (%d sources, re-checked every %s)\n", l.Addr(), len(sources), interval)
	go func() { _ = x.Run(ctx, interval, poll) }()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// exporterSources turns the command line into the exporter's sources.
// Paths are checked now, so a typo exits 2 before anything is served.
func exporterSources(c *cli.Context, args []string, f lintFlags) ([]metrics.ExporterSource, error) {
	var out []metrics.ExporterSource
	checkTargets := func(produce func(func(lint.Target) error) error) func(lint.Options, func(lint.Result) error) error {
		return func(o lint.Options, emit func(lint.Result) error) error {
			targets := make(chan lint.Target)
			prodErr := make(chan error, 1)
			go func() {
				defer close(targets)
				prodErr <- produce(func(t lint.Target) error { targets <- t; return nil })
			}()
			err := lint.CheckAll(targets, o, emit)
			if perr := <-prodErr; err == nil {
				err = perr
			}
			return err
		}
	}
	for _, p := range args {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, errors.Unwrap(err))
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("%s: not a directory", p)
		}
		path := p
		src := metrics.ExporterSource{Kind: "file", Name: path, Watch: []string{path}}
		if c.Bool("recursive") {
			src.Check = checkTargets(func(fn func(lint.Target) error) error {
				return lint.WalkWith(path, f.endpoint, f.extra, fn)
			})
		} else {
			src.Check = checkTargets(func(fn func(lint.Target) error) error {
				t, err := lint.DirTargetWith("dir", path, f.endpoint, f.extra)
				if err != nil {
					return err
				}
				return fn(t)
			})
		}
		out = append(out, src)
	}
	if path := c.String("manifest"); path != "" {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("--manifest %s: %w", path, errors.Unwrap(err))
		}
		out = append(out, metrics.ExporterSource{Kind: "file", Name: path, Watch: []string{path},
			Check: func(o lint.Options, emit func(lint.Result) error) error {
				m, err := manifest.Load(path)
				if err != nil {
					return err
				}
				for _, r := range lint.CheckManifest(m, o) {
					if err := emit(r); err != nil {
						return err
					}
				}
				return nil
			},
			Reason: func(error) string { return "read_failed" }})
	}
	if conf := c.String("libvirt-qemu-conf"); conf != "" {
		if _, err := os.Stat(conf); err != nil {
			return nil, fmt.Errorf("--libvirt-qemu-conf %s: %w", conf, errors.Unwrap(err))
		}
		out = append(out, metrics.ExporterSource{Kind: "file", Name: conf, Watch: []string{conf},
			Check: checkTargets(func(fn func(lint.Target) error) error {
				dirs, err := lint.ParseQEMUConf(conf, nil)
				if err != nil {
					return err
				}
				for _, d := range dirs {
					id := fmt.Sprintf("%s-%s", strings.Join(d.Services, "_"), d.Endpoint)
					t, err := lint.DirTargetWith(id, d.Dir, d.Endpoint, f.extra)
					if err != nil {
						return fmt.Errorf("%s (%s_tls_x509_cert_dir): %w", d.Dir, d.Services[0], err)
					}
					// One directory serves several endpoints: the
					// identity names the services, as qemu.conf does.
					t.Identity = id
					if err := fn(t); err != nil {
						return err
					}
				}
				return nil
			})})
	}
	for _, p := range c.StringSlice("kube-secrets") {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("--kube-secrets %s: %w", p, errors.Unwrap(err))
		}
		path := p
		out = append(out, metrics.ExporterSource{Kind: "kube-secret", Name: path, Watch: []string{path},
			Check: checkTargets(func(fn func(lint.Target) error) error {
				return secretTargets(path, nil, f.endpoint, fn)
			}),
			Reason: func(error) string { return "decode_failed" }})
	}
	return out, nil
}
