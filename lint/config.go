package lint

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/tlscreds/tlscreds/creds/safefile"
	"go.yaml.in/yaml/v3"
)

// ConfigName is the configuration file [FindConfig] looks for.
const ConfigName = ".tlscreds.yaml"

// Config is a configuration file: defaults for lint's flags (a flag given
// on the command line, or its TLSCREDS_* variable, wins) and waivers.
//
//	profile: qemu
//	fail-on: warning
//	warn-within: 30d
//	hosts: [vm1.example.com]
//	waivers:
//	  - rule: cert-expiring
//	    path: deploy/tls/legacy/**
//	    reason: replaced by the new CA in March
//	    expires: 2027-03-31
type Config struct {
	Path       string    `yaml:"-"`
	Profile    string    `yaml:"profile"`
	FailOn     string    `yaml:"fail-on"`
	WarnWithin string    `yaml:"warn-within"`
	Hosts      []string  `yaml:"hosts"`
	Waivers    []*Waiver `yaml:"-"`
}

type configFile struct {
	Config  `yaml:",inline"`
	Waivers []waiverYAML `yaml:"waivers"`
}

type waiverYAML struct {
	Rule    string `yaml:"rule"`
	Path    string `yaml:"path"`
	Reason  string `yaml:"reason"`
	Expires string `yaml:"expires"`
	line    int
}

func (w *waiverYAML) UnmarshalYAML(n *yaml.Node) error {
	type plain waiverYAML
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*w = waiverYAML(p)
	w.line = n.Line
	return nil
}

// FindConfig returns the configuration file in dir or the nearest
// directory above it, "" when there is none.
func FindConfig(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, ConfigName)
		if _, err := os.Lstat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// LoadConfig reads and checks a configuration file. Errors name the file
// and line. Waiver paths are relative to the file's directory.
func LoadConfig(path string) (*Config, error) {
	data, err := safefile.ReadNamed(path, safefile.Named{})
	if err != nil {
		return nil, err
	}
	var cf configFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cf); err != nil && !errors.Is(err, io.EOF) /* an empty file */ {
		return nil, fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	c := cf.Config
	c.Path = path
	if c.Profile != "" {
		if _, _, err := ParseProfile(c.Profile); err != nil {
			return nil, fmt.Errorf("%s: profile: %w", path, err)
		}
	}
	if c.FailOn != "" {
		if _, err := ParseSeverity(c.FailOn); err != nil {
			return nil, fmt.Errorf("%s: fail-on: %w", path, err)
		}
	}
	base := filepath.Dir(path)
	if abs, err := filepath.Abs(base); err == nil {
		base = abs
	}
	for _, w := range cf.Waivers {
		at := fmt.Sprintf("%s:%d", path, w.line)
		switch {
		case w.Rule == "":
			return nil, fmt.Errorf("%s: waiver without a rule: key", at)
		case w.Path == "":
			return nil, fmt.Errorf("%s: waiver of %s without path: (a glob such as deploy/tls/**)", at, w.Rule)
		case strings.TrimSpace(w.Reason) == "":
			return nil, fmt.Errorf("%s: waiver of %s without a reason: key", at, w.Rule)
		case w.Expires == "":
			return nil, fmt.Errorf("%s: waiver of %s without expires: (YYYY-MM-DD); a waiver without an end is a silent pass", at, w.Rule)
		}
		if _, ok := Lookup(w.Rule); !ok {
			return nil, fmt.Errorf("%s: waiver of unknown rule %q (tlscreds rules lists them)", at, w.Rule)
		}
		if filepath.IsAbs(w.Path) || strings.HasPrefix(w.Path, "../") {
			return nil, fmt.Errorf("%s: waiver path %q: give a glob relative to %s", at, w.Path, filepath.Dir(path))
		}
		if _, err := filepathMatchCheck(w.Path); err != nil {
			return nil, fmt.Errorf("%s: waiver path %q: %v", at, w.Path, err)
		}
		day, err := time.Parse(time.DateOnly, w.Expires)
		if err != nil {
			return nil, fmt.Errorf("%s: waiver expires %q: want a date YYYY-MM-DD", at, w.Expires)
		}
		c.Waivers = append(c.Waivers, &Waiver{
			Rule: w.Rule, Path: w.Path, Reason: w.Reason, Expires: w.Expires, Source: at,
			base: base, file: path, line: w.line,
			// The waiver holds through its expiry day, UTC.
			expires: day.AddDate(0, 0, 1),
		})
	}
	return &c, nil
}

// filepathMatchCheck checks every segment of a glob for syntax errors.
func filepathMatchCheck(glob string) (bool, error) {
	for _, seg := range strings.Split(glob, "/") {
		if _, err := path.Match(seg, ""); err != nil {
			return false, err
		}
	}
	return true, nil
}
