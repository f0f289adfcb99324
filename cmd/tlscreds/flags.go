package main

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
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
