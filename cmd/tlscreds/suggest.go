package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

// suggestCommand proposes the command closest to a mistyped one by
// edit distance, counting a swap of two neighbouring letters as one edit
// (urfave's own Jaro-Winkler scoring proposes "inspect" for "gne").
func suggestCommand(cmds []*cli.Command, typed string) string {
	best, bestDist := "", 3 // suggest nothing further than two edits away
	for _, c := range cmds {
		for _, name := range append([]string{c.Name}, c.Aliases...) {
			if d := editDistance(typed, name); d < bestDist {
				best, bestDist = name, d
			}
		}
	}
	if best == "" {
		return "Run 'tlscreds --help' for the commands."
	}
	return fmt.Sprintf("Did you mean %q?", best)
}

// editDistance is the optimal string alignment distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
