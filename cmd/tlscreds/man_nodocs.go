//go:build urfave_cli_no_docs

package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// manCommand is hidden in the release build (`make build`), which leaves
// urfave/cli's docs code out: the page comes from `make man`.
func manCommand() *cli.Command {
	return &cli.Command{
		Name:   "man",
		Usage:  "print the man page (not in this build: make man)",
		Hidden: true,
		Action: func(*cli.Context) error {
			return usageErr(errors.New("this binary was built without the man page generator (tag urfave_cli_no_docs)"),
				"generate the page from a checkout: make man (writes bin/tlscreds.1), then man -l bin/tlscreds.1")
		},
	}
}
