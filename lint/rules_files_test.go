package lint

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestRulesLiveInFilesNamedForTheirPrefix keeps rules findable by name:
// a rule whose ID starts with "key-" is declared in rules_key.go, every
// rules_*.go file declares rules of its own prefix, and the rules found
// by reading the source are exactly those registered (so none is
// declared in a way this test cannot see).
func TestRulesLiveInFilesNamedForTheirPrefix(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var parsed []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
	}
	declared := map[string]string{} // rule ID → file
	perFile := map[string]int{}
	for _, f := range parsed {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if fn, ok := call.Fun.(*ast.Ident); !ok || fn.Name != "register" || len(call.Args) != 1 {
				return true
			}
			file := filepath.Base(fset.Position(call.Pos()).Filename)
			id := ruleLiteralID(call.Args[0])
			if id == "" {
				t.Errorf("%s: register is called with something other than &Rule{ID: \"...\"}", fset.Position(call.Pos()))
				return true
			}
			declared[id] = file
			perFile[file]++
			prefix, _, _ := strings.Cut(id, "-")
			if want := "rules_" + prefix + ".go"; file != want {
				t.Errorf("rule %s is declared in %s, want %s", id, file, want)
			}
			return true
		})
	}
	var registered []string
	for _, r := range Rules() {
		registered = append(registered, r.ID)
		if _, ok := declared[r.ID]; !ok {
			t.Errorf("rule %s is registered, but no register(&Rule{ID: %q}) was found in the source", r.ID, r.ID)
		}
	}
	for id := range declared {
		if !slices.Contains(registered, id) {
			t.Errorf("rule %s is in the source but not registered", id)
		}
	}
	files, err := filepath.Glob("rules_*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") && perFile[f] == 0 {
			t.Errorf("%s declares no rule: rules_*.go files hold the rules of their prefix", f)
		}
	}
}

// ruleLiteralID is the ID of &Rule{ID: "..."}, or "".
func ruleLiteralID(e ast.Expr) string {
	u, ok := e.(*ast.UnaryExpr)
	if !ok || u.Op != token.AND {
		return ""
	}
	cl, ok := u.X.(*ast.CompositeLit)
	if !ok {
		return ""
	}
	for _, el := range cl.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "ID" {
			if lit, ok := kv.Value.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				id, err := strconv.Unquote(lit.Value)
				if err == nil {
					return id
				}
			}
		}
	}
	return ""
}
