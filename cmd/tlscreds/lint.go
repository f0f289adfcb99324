package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/creds"
	"github.com/tlscreds/tlscreds/creds/access"
	"github.com/tlscreds/tlscreds/lint"
	"github.com/tlscreds/tlscreds/lint/metrics"
	"github.com/urfave/cli/v2"
)

func lintCommand() *cli.Command {
	return &cli.Command{
		Name:  "lint",
		Usage: "check credential directories before deployment; exit 1 when findings reach --fail-on",
		UsageText: "tlscreds lint [--endpoint server|client] [--profile qemu|qemu-legacy|VERSION|auto|libvirt]\n" +
			"   [--host NAME]... [--verify-peer yes|no] [--warn-within D|P%] [--fail-on error|warning|info]\n" +
			"   [--format table|json|sarif[=FILE]]... [--output FILE] [--config FILE]\n" +
			"   [--object SPEC]... [--libvirt-qemu-conf FILE] [--libvirt [--root DIR] [--libvirtd-conf FILE] [--libvirt-home HOME]...]\n" +
			"   [--as-user NAME] [-r] [PATH...]\n" +
			"tlscreds lint --manifest FILE [--profile P] [--warn-within D|P%] [--fail-on S] [--format F]...",
		Description: "PATH is a credential directory (layout detected from the file names; endpoint detected\n" +
			"from them unless --endpoint is given), or a file in one, which stands for its directory;\n" +
			"with -r, a tree walked for credential directories.\n" +
			"--object takes QEMU -object specs (and secret objects for passwordid).\n" +
			"--libvirt-qemu-conf lints every *_tls_x509_cert_dir of a libvirt qemu.conf as the endpoints\n" +
			"libvirt uses it for. --libvirt checks the host as libvirt finds its credentials (/etc/pki/CA,\n" +
			"/etc/pki/libvirt, libvirtd.conf's *_file overrides and settings; docs/libvirt.md), below --root\n" +
			"for a mounted image or a test tree. -r recognises libvirt's split /etc/pki layout.\n" +
			"Directories are linted on all cores; output keeps the input order.\n" +
			"--manifest lints every object of a manifest (docs/sharing.md) as its endpoints use it, then the\n" +
			"endpoints against each other (trust both ways, SNI names, hosts, shared keys, authz, pins).\n\n" + exitStatusHelp,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "object", Usage: "QEMU object spec, e.g. tls-creds-x509,id=tls0,endpoint=server,dir=DIR (repeatable)"},
			&cli.BoolFlag{Name: "recursive", Aliases: []string{"r"}, Usage: "walk each PATH for credential directories"},
			&cli.StringFlag{Name: "libvirt-qemu-conf", Usage: "lint the directories a libvirt qemu.conf names"},
			&cli.StringFlag{Name: "as-user", Usage: "check that this user (qemu, libvirt-qemu, ...) can read every file: modes, owners, groups, ACLs, each directory on the path; users from ROOT/etc/passwd"},
			&cli.BoolFlag{Name: "libvirt", Usage: "lint the host's libvirt credentials as libvirt 9.0 loads them (libvirt profile)"},
			&cli.StringFlag{Name: "root", Usage: "with --libvirt or --as-user: the root the host's file system is mounted at (default /); absolute symbolic links resolve inside it"},
			&cli.StringFlag{Name: "libvirtd-conf", Usage: "with --libvirt: libvirtd.conf or virtproxyd.conf (default ROOT/etc/libvirt/libvirtd.conf when it exists)"},
			&cli.StringSliceFlag{Name: "libvirt-home", Usage: "with --libvirt: a home directory whose $HOME/.pki/libvirt an unprivileged client uses (repeatable)"},
			&cli.StringFlag{Name: "manifest", Usage: "lint the objects and endpoints of a manifest (YAML or JSON)"},
			enum(&cli.StringFlag{Name: "endpoint", Usage: "the endpoint of directories (default: detected from the files)"}, "server", "client"),
			enum(&cli.StringFlag{Name: "verify-peer", Usage: "the verify-peer the directories are used with (QEMU's default: yes)"}, "yes", "no", "on", "off"),
			&cli.StringFlag{Name: "profile", Value: "qemu", EnvVars: []string{"TLSCREDS_PROFILE"},
				Usage: "whose rules decide errors: " + strings.Join(profileNames()[len(lint.Aliases):], ", ") +
					"; qemu (= qemu-10.2.0), qemu-legacy (= qemu-7.2.22-debian12), a QEMU version such as 10.0.7 (nearest proven build), " +
					"or auto (asks the host's qemu-img --version)"},
			&cli.StringSliceFlag{Name: "host", Usage: "name or address clients reach the server by (repeatable)"},
			&cli.StringFlag{Name: "warn-within", EnvVars: []string{"TLSCREDS_WARN_WITHIN"},
				Usage: "warn about certificates expiring within this time (e.g. 30d) or share of lifetime (e.g. 20%)"},
			enum(&cli.StringFlag{Name: "fail-on", Value: "error", EnvVars: []string{"TLSCREDS_FAIL_ON"},
				Usage: "lowest severity that makes the exit status 1"}, "error", "warning", "info"),
			&cli.StringSliceFlag{Name: "format", EnvVars: formatEnv,
				Usage: "`F[=FILE]`: table, json (docs/json-schema.md), sarif (for code scanning) or prometheus (docs/fleet.md), to FILE if given; " +
					"repeat it to write several formats in one run (default: table, to the output)"},
			outputFlag,
			&cli.StringSliceFlag{Name: "kube-secrets", Usage: kubeSecretsUsage},
			configFlag,
		},
		Action: runLint,
	}
}

// lintFlags are the parsed options of the lint command.
type lintFlags struct {
	opts     lint.Options
	failOn   lint.Severity
	outputs  []lintOutput
	endpoint creds.Endpoint
	extra    string // spec properties for directory targets
	config   *lint.Config
}

// configFlag is --config of the commands that read .tlscreds.yaml.
var configFlag = &cli.StringFlag{Name: "config", EnvVars: []string{"TLSCREDS_CONFIG"},
	Usage: "configuration `FILE`: defaults and waivers (default: .tlscreds.yaml here or in a directory above; none for no file)"}

// loadConfig reads --config, else the .tlscreds.yaml nearest above the
// working directory; nil when there is none.
func loadConfig(c *cli.Context) (*lint.Config, error) {
	path := c.String("config")
	switch path {
	case "none":
		return nil, nil
	case "":
		var err error
		if path, err = lint.FindConfig("."); err != nil || path == "" {
			return nil, err
		}
	}
	return lint.LoadConfig(path)
}

// flagOr is the value of a flag given on the command line or in its
// environment variable, else the configuration's value, else the flag's
// default.
func flagOr(c *cli.Context, name, configured string) string {
	if c.IsSet(name) || configured == "" {
		return c.String(name)
	}
	return configured
}

func parseLintFlags(c *cli.Context) (lintFlags, error) {
	cfg, err := loadConfig(c)
	if err != nil {
		return lintFlags{}, err
	}
	if cfg == nil {
		cfg = &lint.Config{}
	}
	f := lintFlags{opts: lint.Options{Hosts: c.StringSlice("host"), Root: c.String("root")}, config: cfg}
	if !c.IsSet("host") && len(cfg.Hosts) > 0 {
		f.opts.Hosts = cfg.Hosts
	}
	if name := c.String("as-user"); name != "" {
		u, err := access.LookupUser(c.String("root"), name)
		if err != nil {
			return f, fmt.Errorf("--as-user: %w", err)
		}
		f.opts.AsUser = &u
		if note := lint.AsUserNote(c.String("root")); note != "" {
			fmt.Fprintln(c.App.ErrWriter, "tlscreds: note: "+note)
		}
	}
	profile := flagOr(c, "profile", cfg.Profile)
	var note string
	if profile == string(lint.ProfileAuto) {
		f.opts.Profile, note, err = detectProfile()
	} else {
		f.opts.Profile, note, err = lint.ParseProfile(profile)
	}
	if err != nil {
		return f, fmt.Errorf("--profile %q: %s", profile, strings.TrimPrefix(err.Error(), lint.ErrUnknownProfile.Error()+": "))
	}
	if note != "" {
		fmt.Fprintf(c.App.ErrWriter, "tlscreds: warning: --profile %s: %s\n", profile, note)
	}
	if f.failOn, err = lint.ParseSeverity(flagOr(c, "fail-on", cfg.FailOn)); err != nil {
		return f, fmt.Errorf("--fail-on: %w", err)
	}
	if ww := flagOr(c, "warn-within", cfg.WarnWithin); strings.HasSuffix(ww, "%") {
		var pct float64
		if _, err := fmt.Sscanf(ww, "%g%%", &pct); err != nil || !(pct > 0 && pct <= 100) {
			return f, fmt.Errorf("--warn-within %q: want a duration like 30d or a share like 20%%", ww)
		}
		f.opts.WarnShare = pct / 100
	} else if ww != "" {
		if f.opts.WarnWithin, err = parseDuration("warn-within", ww); err != nil {
			return f, err
		}
	}
	if f.outputs, err = parseOutputs(c.StringSlice("format")); err != nil {
		return f, err
	}
	for _, o := range f.outputs {
		// Metrics describe the certificates, not only the findings.
		f.opts.KeepMaterial = f.opts.KeepMaterial || o.format == "prometheus"
	}
	if vp := c.String("verify-peer"); vp != "" {
		f.extra = "verify-peer=" + vp
	}
	f.endpoint = creds.Endpoint(c.String("endpoint"))
	return f, nil
}

func runLint(c *cli.Context) error {
	if os.Getenv("GOGC") == "" {
		defer tuneGC(lintGCPercent, lintGCHeadroom)()
	}
	args := c.Args().Slice()
	f, err := parseLintFlags(c)
	if err != nil {
		return usageErr(err)
	}
	if path := c.String("manifest"); path != "" {
		return runCheckManifest(c, f, path)
	}
	// Targets given directly are checked before anything is linted, so a
	// typo exits 2 at once; a tree walk streams its targets.
	direct, err := directTargets(c, args, f.endpoint, f.extra)
	if err != nil {
		return usageErr(err)
	}
	secrets := c.StringSlice("kube-secrets")
	for _, p := range secrets {
		if p == "-" {
			continue
		}
		if _, err := os.Stat(p); err != nil {
			return usageErrf("--kube-secrets %s: %v", p, errors.Unwrap(err))
		}
	}
	if len(direct) == 0 && len(secrets) == 0 && !(c.Bool("recursive") && len(args) > 0) {
		return usageErrf("nothing to lint: give credential directories, -r TREE, --object specs, --kube-secrets, --libvirt or --libvirt-qemu-conf")
	}
	targets := make(chan lint.Target)
	walkErr := make(chan error, 1)
	go func() {
		defer close(targets)
		for _, d := range direct {
			t, err := d.target()
			if err != nil {
				walkErr <- err
				return
			}
			targets <- t
		}
		if c.Bool("recursive") {
			for _, root := range args {
				send := func(t lint.Target) error { targets <- t; return nil }
				skip := func(dir, why string) {
					fmt.Fprintf(c.App.ErrWriter, "tlscreds: note: skipped %s: %s\n", lint.Printable(dir), why)
				}
				if err := lint.WalkSkipping(root, f.endpoint, f.extra, send, skip); err != nil {
					walkErr <- err
					return
				}
			}
		}
		for _, p := range secrets {
			if err := secretTargets(p, c.App.Reader, f.endpoint, func(t lint.Target) error { targets <- t; return nil }); err != nil {
				walkErr <- fmt.Errorf("--kube-secrets: %w", err)
				return
			}
		}
		walkErr <- nil
	}()
	rep, err := openReporters(c, f)
	if err != nil {
		return err
	}
	defer rep.flush() // what was reported before an error
	err = lint.CheckAll(targets, f.opts, rep.Add)
	if err == nil {
		err = <-walkErr
	}
	if err != nil {
		return usageErr(err)
	}
	if err := rep.Close(); err != nil {
		return err
	}
	if rep.failed {
		return &cmdError{err: fmt.Errorf("findings at or above %s (see above; --fail-on sets the threshold)", f.failOn), code: exitFailed}
	}
	return nil
}

// directTarget is a target named on the command line: made already, or a
// credential directory whose target is made again when it is linted, so
// that 10,000 paths on the command line do not hold 10,000 targets and
// their listings at once (docs/performance.md): the first making checked
// the path, so a typo still exits 2 before anything is linted.
type directTarget struct {
	t              lint.Target
	id, dir, extra string
	endpoint       creds.Endpoint
}

func (d directTarget) target() (lint.Target, error) {
	if d.dir == "" {
		return d.t, nil
	}
	return lint.DirTargetWith(d.id, d.dir, d.endpoint, d.extra)
}

// directTargets are the objects named by --object, by paths (without -r)
// and by --libvirt-qemu-conf.
func directTargets(c *cli.Context, args []string, endpoint creds.Endpoint, extra string) ([]directTarget, error) {
	var specs creds.Specs
	for _, s := range c.StringSlice("object") {
		if err := addSpec(&specs, s); err != nil {
			return nil, err
		}
	}
	var targets []directTarget
	add := func(ts ...lint.Target) {
		for _, t := range ts {
			targets = append(targets, directTarget{t: t})
		}
	}
	for _, sp := range specs.Objects {
		pw, err := specs.Password(sp)
		if err != nil {
			return nil, err
		}
		add(lint.Target{Spec: sp, Password: pw, Note: "--object"})
	}
	if !c.Bool("recursive") {
		for i, path := range credentialDirs(args) {
			if ts, ok := lint.LibvirtPKITargets(path); ok {
				add(ts...)
				continue
			}
			id := fmt.Sprintf("dir%d", i+1)
			if _, err := lint.DirTargetWith(id, path, endpoint, extra); err != nil {
				return nil, err
			}
			targets = append(targets, directTarget{id: id, dir: path, endpoint: endpoint, extra: extra})
		}
	}
	if !c.Bool("libvirt") && (c.String("libvirtd-conf") != "" || len(c.StringSlice("libvirt-home")) > 0) {
		return nil, fmt.Errorf("--libvirtd-conf and --libvirt-home go with --libvirt")
	}
	if !c.Bool("libvirt") && c.String("as-user") == "" && c.String("root") != "" {
		return nil, fmt.Errorf("--root goes with --libvirt or --as-user")
	}
	if c.Bool("libvirt") {
		host := lint.LibvirtHost{Root: c.String("root"), Conf: c.String("libvirtd-conf"), Homes: c.StringSlice("libvirt-home")}
		if host.Root != "" {
			if info, err := os.Stat(host.Root); err != nil || !info.IsDir() {
				return nil, fmt.Errorf("--root %s: not a directory", host.Root)
			}
		}
		ts, err := lint.LibvirtTargets(host)
		if err != nil {
			return nil, fmt.Errorf("--libvirt: %w", err)
		}
		add(ts...)
	}
	if conf := c.String("libvirt-qemu-conf"); conf != "" {
		dirs, err := lint.ParseQEMUConf(conf, c.App.Reader)
		if err != nil {
			return nil, fmt.Errorf("--libvirt-qemu-conf: %w", err)
		}
		for _, d := range dirs {
			t, err := d.Target(extra)
			if err != nil {
				return nil, err
			}
			add(t)
		}
	}
	return targets, nil
}

// lintOutput is one --format: a format and the file it goes to ("" is
// the command's output: standard output or --output).
type lintOutput struct{ format, path string }

var lintFormats = []string{"table", "json", "sarif", "prometheus"}

// parseOutputs reads the --format values: FORMAT or FORMAT=FILE. At most
// one format goes to the command's output; none given is a table there.
func parseOutputs(values []string) ([]lintOutput, error) {
	var outs []lintOutput
	toStdout, files := 0, map[string]bool{}
	for _, v := range values {
		format, path, hasPath := strings.Cut(v, "=")
		if !slices.Contains(lintFormats, format) {
			return nil, fmt.Errorf("--format %q: want %s, optionally =FILE", v, orList(lintFormats))
		}
		if hasPath && path == "" {
			return nil, fmt.Errorf("--format %q: no FILE after =", v)
		}
		if path == "-" {
			path = ""
		}
		if path == "" {
			toStdout++
		} else if files[path] {
			return nil, fmt.Errorf("--format %q: %s is already the file of another --format", v, path)
		}
		files[path] = true
		outs = append(outs, lintOutput{format, path})
	}
	if toStdout > 1 {
		return nil, fmt.Errorf("--format: %d formats for standard output; give the others a file (--format sarif=FILE)", toStdout)
	}
	if len(outs) == 0 {
		outs = []lintOutput{{format: "table"}}
	}
	return outs, nil
}

// lintReport hands every result, its findings waived by the
// configuration, to each --format's reporter, and remembers whether any
// reached --fail-on. Close adds the configuration file's own result when
// it has waivers (an expired waiver is a finding).
type lintReport struct {
	reps   multiReporter
	f      lintFlags
	failed bool
	outs   []*batchWriter
}

// flush writes what the reporters' writers hold; the first error.
func (l *lintReport) flush() error {
	var first error
	for _, b := range l.outs {
		if err := b.Flush(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// batchWriter gathers a reporter's small writes (a result each) into
// larger ones: a system call per directory was a twentieth of linting a
// tree. What it holds is written once it reaches batchBytes or has waited
// batchDelay since the last write out, and on Flush, so output still
// streams.
type batchWriter struct {
	w    io.Writer
	buf  []byte
	last time.Time
	err  error
}

const (
	batchBytes = 64 << 10
	batchDelay = 200 * time.Millisecond
)

func (b *batchWriter) Write(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.last.IsZero() {
		b.last = time.Now()
	}
	b.buf = append(b.buf, p...)
	if len(b.buf) >= batchBytes || time.Since(b.last) >= batchDelay {
		if err := b.Flush(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

func (b *batchWriter) Flush() error {
	if b.err != nil || len(b.buf) == 0 {
		return b.err
	}
	_, b.err = b.w.Write(b.buf)
	b.buf, b.last = b.buf[:0], time.Now()
	return b.err
}

func (l *lintReport) Add(r lint.Result) error {
	r = lint.Waive(r, l.f.config.Waivers, time.Now())
	l.failed = l.failed || lint.Worst(r.Findings) >= l.f.failOn
	return l.reps.Add(r)
}

func (l *lintReport) Close() error {
	if cfg := l.f.config; len(cfg.Waivers) > 0 {
		if r := lint.ExpiredWaivers(cfg.Path, cfg.Waivers, l.f.opts.Profile, time.Now()); len(r.Findings) > 0 {
			if err := l.Add(r); err != nil {
				return err
			}
		}
	}
	err := l.reps.Close()
	if ferr := l.flush(); err == nil {
		err = ferr
	}
	return err
}

// openReporters opens one reporter per --format, each on its own file.
func openReporters(c *cli.Context, f lintFlags) (*lintReport, error) {
	var reps multiReporter
	var outs []*batchWriter
	for _, o := range f.outputs {
		w := c.App.Writer
		if o.path != "" {
			var err error
			if w, err = sessionOf(c).openOutput(o.path); err != nil {
				return nil, err
			}
		}
		b := &batchWriter{w: w}
		outs = append(outs, b)
		w = b
		if tw, ok := b.w.(interface{ TableWidth() int }); ok {
			w = widthWriter{b, tw.TableWidth()}
		}
		if o.format == "prometheus" {
			// Text format 0.0.4 (node_exporter's textfile collector reads
			// it; --output writes it atomically, as that collector needs).
			reps = append(reps, metrics.NewReporter(w, version, time.Now()))
			continue
		}
		r, err := lint.NewReporter(o.format, w, version)
		if err != nil {
			return nil, usageErr(err)
		}
		reps = append(reps, r)
	}
	return &lintReport{reps: reps, f: f, outs: outs}, nil
}

// multiReporter hands every result to each reporter.
type multiReporter []lint.Reporter

func (m multiReporter) Add(r lint.Result) error {
	for _, rep := range m {
		if err := rep.Add(r); err != nil {
			return err
		}
	}
	return nil
}

func (m multiReporter) Close() error {
	for _, rep := range m {
		if err := rep.Close(); err != nil {
			return err
		}
	}
	return nil
}

// detectProfile asks the host's qemu-img (else qemu-system-x86_64) for
// its version, for --profile auto.
func detectProfile() (lint.Profile, string, error) {
	for _, prog := range []string{"qemu-img", "qemu-system-x86_64"} {
		path, err := exec.LookPath(prog)
		if err != nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		out, err := exec.CommandContext(ctx, path, "--version").Output()
		cancel()
		if err != nil {
			return "", "", fmt.Errorf("auto: %s --version: %w", path, err)
		}
		line, _, _ := strings.Cut(string(out), "\n")
		return lint.DetectQEMU(line)
	}
	return "", "", fmt.Errorf("auto: neither qemu-img nor qemu-system-x86_64 is in PATH; name the QEMU version you deploy (--profile 10.2.0)")
}

// profileNames are the profile names a flag takes: the aliases, then the
// proven builds and libvirt.
func profileNames() []string {
	var names []string
	for _, p := range append(append([]lint.Profile{}, lint.Aliases...), lint.Profiles...) {
		names = append(names, string(p))
	}
	return names
}

// credentialDirs maps the paths given to the directories to lint: a
// directory stands for itself, a file for the directory that holds it
// (so that `tlscreds lint $(git diff --name-only)` and the pre-commit hook,
// which pass the changed files, lint each directory once), in the order
// first given.
func credentialDirs(paths []string) []string {
	var dirs []string
	seen := map[string]bool{}
	for _, p := range paths {
		if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() {
			p = filepath.Dir(p)
		}
		if !seen[filepath.Clean(p)] {
			seen[filepath.Clean(p)] = true
			dirs = append(dirs, p)
		}
	}
	return dirs
}

// widthWriter keeps the table width of the writer a batchWriter wraps.
type widthWriter struct {
	io.Writer
	width int
}

func (w widthWriter) TableWidth() int { return w.width }
