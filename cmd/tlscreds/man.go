//go:build !urfave_cli_no_docs

package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

// manCommand prints the man page generated from the command definitions
// (`make man` writes it to bin/tlscreds.1). A binary built with the
// urfave_cli_no_docs tag leaves the generator out.
func manCommand() *cli.Command {
	return &cli.Command{
		Name:      "man",
		Usage:     "print the man page (roff), generated from the command definitions",
		UsageText: "tlscreds man > tlscreds.1",
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageErrf("man takes no arguments")
			}
			s, err := c.App.ToManWithSection(1)
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(c.App.Writer, s)
			return err
		},
	}
}
