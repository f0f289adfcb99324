package main

import (
	"github.com/tlscreds/tlscreds/lint"
	"github.com/urfave/cli/v2"
)

func rulesCommand() *cli.Command {
	return &cli.Command{
		Name:      "rules",
		Usage:     "list the lint rules: severity per profile, the QEMU or libvirt message, the fix",
		UsageText: "tlscreds rules [--format table|json|markdown]",
		Description: "json is documented in docs/json-schema.md (schema " + lint.RulesSchema + "); markdown is\n" +
			"docs/rules.md, regenerated with: " + lint.RulesDocCommand + "\n\n" +
			"EXIT STATUS:\n   0  success\n   2  usage error: bad flags or arguments\n",
		Flags: []cli.Flag{
			enum(&cli.StringFlag{Name: "format", Value: "table", EnvVars: formatEnv, Usage: "output format"}, "table", "json", "markdown"),
			outputFlag,
		},
		Action: runRules,
	}
}

func runRules(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageErrf("rules takes no arguments, got %q", c.Args().First())
	}
	w := c.App.Writer
	switch format := c.String("format"); format {
	case "table":
		return lint.WriteRulesTable(w)
	case "json":
		return lint.WriteRulesJSON(w)
	case "markdown":
		return lint.WriteRulesMarkdown(w)
	}
	return nil
}
