//go:build urfave_cli_no_docs

package main

import "github.com/urfave/cli/v2"

func manCommand() *cli.Command {
	return &cli.Command{
		Name:   "man",
		Usage:  "print the man page (not in this build: see docs/tlscreds.1)",
		Hidden: true,
		Action: func(*cli.Context) error {
			return usageErrf("this binary was built without the man page generator (tag urfave_cli_no_docs); read docs/tlscreds.1")
		},
	}
}
