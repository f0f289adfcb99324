package diagnose

import (
	"strings"
	"testing"
)

// TestParseTarget: what users paste, each scheme with its default port,
// and the mistakes named.
func TestParseTarget(t *testing.T) {
	for _, tt := range []struct{ in, addr, scheme, path, user string }{
		{"https://example.org/x?y=1", "example.org:443", "https", "/x?y=1", ""},
		{"http://example.org", "example.org:80", "http", "/", ""},
		{"postgresql://alice@db:5433/app", "db:5433", "postgres", "/app", "alice"},
		{"ldap://dir", "dir:389", "ldap", "/", ""},
		{"ldaps://dir", "dir:636", "ldaps", "/", ""},
		{"smtp://mail:587", "mail:587", "smtp", "/", ""},
		{"smtps://mail", "mail:465", "smtps", "/", ""},
		{"imap://mail", "mail:143", "imap", "/", ""},
		{"imaps://mail", "mail:993", "imaps", "/", ""},
		{"pop3://mail", "mail:110", "pop3", "/", ""},
		{"pop3s://mail", "mail:995", "pop3s", "/", ""},
		{"mysql://bob@db/shop", "db:3306", "mysql", "/shop", "bob"},
		{"mariadb://db:3307", "db:3307", "mysql", "/", ""},
		{"ftp://files", "files:21", "ftp", "/", ""},
		{"ftps://files:2990/pub", "files:2990", "ftps", "/pub", ""},
		{"xmpp://chat.example.org", "chat.example.org:5222", "xmpp", "/", ""},
		{"[::1]:8443", "[::1]:8443", "", "", ""},
		{"::1", "[::1]:443", "", "", ""},
		{"example.org", "example.org:443", "", "", ""},
	} {
		tg, err := ParseTarget(tt.in)
		if err != nil || tg.Addr != tt.addr || tg.Scheme != tt.scheme || tg.Path != tt.path || tg.User != tt.user {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %s %q %q %q", tt.in, tg, err, tt.addr, tt.scheme, tt.path, tt.user)
		}
	}
	for in, want := range map[string]string{
		"":             "empty",
		"sftp://host/": `scheme "sftp" is not`,
		"https:///x":   "has no host",
		"fe80::1::2":   "brackets",
		"host:":        "is not HOST:PORT",
	} {
		if _, err := ParseTarget(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseTarget(%q) = %v, want an error saying %q", in, err, want)
		}
	}
}
