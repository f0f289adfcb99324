package manifest

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Bounds on what a manifest may declare, so that a small file can never
// cost more than a small amount of time and memory. YAML aliases get past
// a cap on the file's size (a 31 KB file of nested aliases declares
// billions of nodes), so what counts is the document as its aliases
// expand.
const (
	// MaxListItems bounds every list: objects, secrets, endpoints, and the
	// objects, hosts, names and authz rules of one endpoint.
	MaxListItems = 100_000
	// maxAliasGrowth bounds how much aliases may add to a document: the
	// expanded document may have twice the nodes of the written one, plus
	// aliasHeadroom (generous for anchors shared across a fleet, far
	// below anything that costs real memory).
	maxAliasGrowth = 2
	aliasHeadroom  = 100_000
	// maxErrors bounds the problems reported: a broken manifest of
	// 100,000 entries reports the first ones, then how many more.
	maxErrors = 200
)

// checkAliases refuses a document whose aliases expand it beyond
// maxAliasGrowth times its written size plus aliasHeadroom nodes.
func checkAliases(name string, doc *yaml.Node) error {
	written := 0
	var count func(n *yaml.Node)
	count = func(n *yaml.Node) {
		written++
		for _, c := range n.Content {
			count(c)
		}
	}
	count(doc)
	limit := maxAliasGrowth*written + aliasHeadroom
	memo := map[*yaml.Node]int{}
	var expand func(n *yaml.Node, depth int) int
	expand = func(n *yaml.Node, depth int) int {
		if n.Kind == yaml.AliasNode {
			if n.Alias == nil || depth > 10_000 {
				return limit + 1
			}
			return expand(n.Alias, depth+1)
		}
		if v, ok := memo[n]; ok {
			return v
		}
		memo[n] = limit + 1 // an alias back to an ancestor expands forever
		total := 1
		for _, c := range n.Content {
			if total += expand(c, depth+1); total > limit {
				break
			}
		}
		memo[n] = total
		return total
	}
	if n := expand(doc, 0); n > limit {
		return &Error{File: name, Line: firstAlias(doc), Msg: fmt.Sprintf("manifest: its aliases (*name) expand it to more than %d YAML nodes (it has %d as written); write the entries out, or use fewer aliases of aliases", limit, written)}
	}
	return nil
}

// firstAlias is the line of the document's first alias (0 if none).
func firstAlias(n *yaml.Node) int {
	if n.Kind == yaml.AliasNode {
		return n.Line
	}
	for _, c := range n.Content {
		if l := firstAlias(c); l != 0 {
			return l
		}
	}
	return 0
}
