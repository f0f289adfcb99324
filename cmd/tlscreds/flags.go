package main

import (
	"fmt"

	"net"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
)

// parseDuration accepts Go durations ("12h", "90m") and whole days or
// years ("30d", "1y" = 365 days), which certificate lifetimes are given in.
func parseDuration(flag, s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	var err error
	switch {
	case strings.HasSuffix(s, "d"), strings.HasSuffix(s, "y"):
		unit := 24 * time.Hour
		if strings.HasSuffix(s, "y") {
			unit = 365 * 24 * time.Hour
		}
		var n int64
		n, err = strconv.ParseInt(s[:len(s)-1], 10, 64)
		d = time.Duration(n) * unit
	default:
		d, err = time.ParseDuration(s)
	}
	if err != nil {
		return 0, fmt.Errorf("--%s %q: not a duration (use e.g. 90d, 1y, 12h)", flag, s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("--%s %q: must be positive", flag, s)
	}
	return d, nil
}

// parseIPs parses every --ip value.
func parseIPs(values []string) ([]net.IP, error) {
	var ips []net.IP
	for _, v := range values {
		ip := net.ParseIP(strings.Trim(v, "[]"))
		if ip == nil {
			return nil, fmt.Errorf("--ip %q: not an IP address", v)
		}
		ips = append(ips, ip)
	}
	return ips, nil
}

// trailingFlags returns the command's arguments, setting the flags given
// after them: urfave/cli v2 stops parsing flags at the first argument,
// and `tlscreds lint DIR --format json` is how people type it. Boolean
// flags take no value unless written --flag=value; "--" ends the flags.
func trailingFlags(c *cli.Context) ([]string, error) {
	known := map[string]bool{} // name → is a boolean flag
	for _, f := range c.Command.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			known[n] = isBool
		}
	}
	in := c.Args().Slice()
	var out []string
	for i := 0; i < len(in); i++ {
		a := in[i]
		if a == "--" {
			return append(out, in[i+1:]...), nil
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			out = append(out, a)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		isBool, ok := known[name]
		if !ok {
			return nil, fmt.Errorf("flag provided but not defined: %s", a)
		}
		if !hasValue {
			if isBool {
				value = "true"
			} else if i+1 == len(in) {
				return nil, fmt.Errorf("flag needs an argument: %s", a)
			} else {
				i++
				value = in[i]
			}
		}
		if err := c.Set(name, value); err != nil {
			return nil, fmt.Errorf("%s: %w", a, err)
		}
	}
	return out, nil
}
