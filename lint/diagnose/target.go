package diagnose

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Target is what a user typed to name a server: an address, and, for a
// URL, the protocol spoken over it.
type Target struct {
	// Addr is HOST:PORT; Host is the host alone (no brackets).
	Addr, Host string
	// Scheme is "https", "http", "postgres" (also written postgresql),
	// "ldap", "ldaps", "smtp", "smtps", "imap", "imaps", "pop3", "pop3s"
	// "mysql" (also written mariadb), "ftp", "ftps" or "xmpp" for a URL, ""
	// otherwise; Path is
	// the URL's path
	// and query ("/" when it has none).
	Scheme, Path string
	// User is a postgres:// URL's user, the one its StartupMessage names.
	User string
}

// schemePorts are the URL schemes ParseTarget reads, with their default
// ports.
var schemePorts = map[string]string{
	"https": "443", "http": "80", "postgres": "5432", "ldap": "389", "ldaps": "636",
	"smtp": "25", "smtps": "465", "imap": "143", "imaps": "993", "pop3": "110", "pop3s": "995",
	"mysql": "3306", "ftp": "21", "ftps": "990", "xmpp": "5222",
}

// ParseTarget reads what users paste: https://host[:port]/path (port
// 443), http://host[:port]/path (port 80), a libpq connection URI
// postgres[ql]://[user@]host[:port]/db (port 5432), an LDAP URL
// ldap://host[:port] (port 389, StartTLS) or ldaps://host[:port] (port
// 636), a mail URL as curl reads it (smtp:// 25, smtps:// 465, imap://
// 143, imaps:// 993, pop3:// 110, pop3s:// 995; the plain ones with
// STARTTLS), mysql://[user@]host[:port]/db or mariadb:// (3306, the
// SSLRequest), ftp://host[:port] (21, AUTH TLS) or ftps://host[:port]
// (990, TLS from the first byte), xmpp://host[:port] (5222, STARTTLS to
// the host as the XMPP domain), HOST:PORT, [::1]:PORT, a host or an address alone (port
// 443).
func ParseTarget(s string) (Target, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Target{}, fmt.Errorf("empty address")
	}
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil {
			return Target{}, fmt.Errorf("%q is not a URL: %w", s, err)
		}
		switch u.Scheme {
		case "postgresql":
			u.Scheme = "postgres"
		case "mariadb":
			u.Scheme = "mysql"
		}
		port := schemePorts[u.Scheme]
		if port == "" {
			return Target{}, fmt.Errorf("%q: scheme %q is not https, http, postgres, ldap, ldaps, smtp, smtps, imap, imaps, pop3, pop3s, mysql, mariadb, ftp, ftps or xmpp (for other protocols give HOST:PORT)", s, u.Scheme)
		}
		if u.Hostname() == "" {
			return Target{}, fmt.Errorf("%q has no host", s)
		}
		if u.Port() != "" {
			port = u.Port()
		}
		path := u.RequestURI()
		if path == "" {
			path = "/"
		}
		return Target{Addr: net.JoinHostPort(u.Hostname(), port), Host: u.Hostname(), Scheme: u.Scheme, Path: path, User: u.User.Username()}, nil
	}
	if host, port, err := net.SplitHostPort(s); err == nil {
		if port == "" || host == "" {
			return Target{}, fmt.Errorf("%q is not HOST:PORT", s)
		}
		return Target{Addr: s, Host: host}, nil
	}
	host := strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	if strings.Contains(host, ":") && net.ParseIP(host) == nil || strings.ContainsAny(host, "/ ") {
		return Target{}, fmt.Errorf("%q is not HOST:PORT (write IPv6 addresses in brackets: [::1]:443)", s)
	}
	return Target{Addr: net.JoinHostPort(host, "443"), Host: host}, nil
}

// HTTPRequest is the request curl sends for the target's URL: GET with
// Host, a User-Agent and Accept.
func (t Target) HTTPRequest(path string) []byte {
	if path == "" {
		path = t.Path
	}
	if path == "" {
		path = "/"
	}
	host := t.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if _, port, _ := net.SplitHostPort(t.Addr); port != "443" && port != "" {
		host += ":" + port
	}
	return []byte(fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: tlscreds-diagnose\r\nAccept: */*\r\nConnection: close\r\n\r\n", path, host))
}
