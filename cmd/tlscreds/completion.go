package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

// Completion scripts ask the binary itself what may follow (urfave/cli's
// --generate-bash-completion): commands, subcommands and flags always
// match the command definitions of the binary installed.
const bashCompletion = `# bash completion for tlscreds: source it, or put it in
# /usr/share/bash-completion/completions/tlscreds
_tlscreds_complete() {
  local cur words
  COMPREPLY=()
  cur="${COMP_WORDS[COMP_CWORD]}"
  words=("${COMP_WORDS[@]:0:$COMP_CWORD}")
  local opts
  if [[ "$cur" == -* ]]; then
    opts=$("${words[@]}" "$cur" --generate-bash-completion 2>/dev/null)
  else
    opts=$("${words[@]}" --generate-bash-completion 2>/dev/null)
  fi
  COMPREPLY=($(compgen -W "${opts}" -- "${cur}"))
  if [[ ${#COMPREPLY[@]} -eq 0 ]]; then
    COMPREPLY=($(compgen -f -- "${cur}"))
  fi
}
complete -o filenames -F _tlscreds_complete tlscreds
`

const zshCompletion = `#compdef tlscreds
# zsh completion for tlscreds: put it in a directory of $fpath as _tlscreds,
# or source it after compinit.
_tlscreds() {
  local -a opts
  local cur=${words[-1]}
  if [[ "$cur" == -* ]]; then
    opts=("${(@f)$(${words[@]:0:#words[@]-1} ${cur} --generate-bash-completion 2>/dev/null)}")
  else
    opts=("${(@f)$(${words[@]:0:#words[@]-1} --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ "${opts[1]}" != "" ]]; then
    _describe 'values' opts
  else
    _files
  fi
}
if [[ "$funcstack[1]" == "_tlscreds" ]]; then
  _tlscreds "$@"
else
  compdef _tlscreds tlscreds
fi
`

func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh or fish",
		UsageText: "tlscreds completion bash|zsh|fish",
		Description: "bash:  source <(tlscreds completion bash)\n" +
			"zsh:   tlscreds completion zsh > \"${fpath[1]}/_tlscreds\"\n" +
			"fish:  tlscreds completion fish > ~/.config/fish/completions/tlscreds.fish",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageErrf("completion takes one shell: bash, zsh or fish")
			}
			w := c.App.Writer
			switch sh := c.Args().First(); sh {
			case "bash":
				_, err := fmt.Fprint(w, bashCompletion)
				return err
			case "zsh":
				_, err := fmt.Fprint(w, zshCompletion)
				return err
			case "fish":
				s, err := c.App.ToFishCompletion()
				if err != nil {
					return err
				}
				_, err = fmt.Fprint(w, s)
				return err
			default:
				return usageErrf("completion %q: want bash, zsh or fish", sh)
			}
		},
	}
}
