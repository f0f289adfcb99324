package diagnose

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/tlscreds/tlscreds/internal/lazyregexp"

	"github.com/tlscreds/tlscreds/lint"
)

// httpAnswer is the start of an HTTP response.
type httpAnswer struct {
	Status string `json:"status"`          // "HTTP/1.1 400 Bad Request"
	Code   int    `json:"code"`            // 400
	Title  string `json:"title,omitempty"` // the HTML page's title
}

var titleRE = lazyregexp.New(`(?is)<title>\s*(.*?)\s*</title>`)

// httpResponse reads the status line and the page title of a response.
func httpResponse(b []byte) *httpAnswer {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	a := &httpAnswer{Status: strings.TrimSpace(lint.PrintableBytes(line, 120))}
	if !bytes.HasPrefix(line, []byte("HTTP/")) {
		return a
	}
	_, _ = fmt.Sscanf(string(line), "HTTP/%*s %d", &a.Code)
	if a.Code == 0 {
		f := strings.Fields(string(line))
		if len(f) > 1 {
			_, _ = fmt.Sscanf(f[1], "%d", &a.Code)
		}
	}
	if m := titleRE.FindSubmatch(b); m != nil {
		a.Title = lint.PrintableBytes(m[1], 120)
	}
	return a
}

func (a *httpAnswer) summary() string {
	if a.Title != "" && !strings.Contains(a.Status, a.Title) {
		return fmt.Sprintf("%s (%q)", a.Status, a.Title)
	}
	return a.Status
}
