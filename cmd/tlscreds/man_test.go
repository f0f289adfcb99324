package main

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// Text that roff would take for requests or escapes comes out as
// written: a line starting with a dot or a quote, backslashes, dashes,
// runes beyond ASCII, an indented list in a description.
func TestManEscapes(t *testing.T) {
	app := &cli.App{
		Name:  "tool",
		Usage: "does things → well",
		Flags: []cli.Flag{&cli.StringFlag{Name: "path", Aliases: []string{"p"}, Value: `C:\dir`, Usage: "a `DIR` to read"}},
		Commands: []*cli.Command{{
			Name:        "sub",
			Aliases:     []string{"s"},
			Usage:       "'quoted' start",
			UsageText:   "tool sub [--x] \\\n.dot",
			Description: ".starts with a dot\nand goes on\n\n  - an item\n  - another\nafter the list: café",
			Flags:       []cli.Flag{&cli.BoolFlag{Name: "x", Usage: "x"}},
			Subcommands: []*cli.Command{{Name: "deep", Usage: "nested"}, {Name: "hidden", Hidden: true}},
		}},
	}
	var b bytes.Buffer
	if err := writeMan(&b, app); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("groff", "-man", "-Tutf8", "-ww")
	cmd.Stdin = bytes.NewReader(b.Bytes())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("groff: %v\n%s\n%s", err, stderr.String(), b.String())
	}
	text := regexp.MustCompile(".\b").ReplaceAllString(string(out), "")
	for _, want := range []string{
		"tool - does things → well",
		"--path DIR, -p DIR",
		`a DIR to read (default: "C:\\dir")`, // Go-quoted, as --help shows it
		"sub (s)", "'quoted' start", "tool sub [--x] \\\n", ".dot",
		".starts with a dot and goes on", "  - an item\n", "  - another\n", "after the list: café",
		"sub deep", "nested",
		"EXIT STATUS",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the page lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "hidden") {
		t.Errorf("a hidden command is on the page:\n%s", text)
	}
}
