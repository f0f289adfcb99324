package diagnose

import (
	"fmt"
	"strings"
	"testing"

	rec "github.com/tlscreds/tlscreds/fixtures/recorder"
)

// BenchmarkExplain explains one recorded program output at a time (what a
// user pastes) and a log of the recorded outputs (what a user pipes in):
// 256 KiB, and cut at explain's 1 MiB bound; "unfiltered" is the same
// without the required-literal filter (not for 1 MiB: about 8 s a run),
// for the side-by-side figures in docs/performance.md.
func BenchmarkExplain(b *testing.B) {
	recs, err := rec.Load(recordingsDir)
	if err != nil {
		b.Fatal(err)
	}
	var outputs []string
	for _, r := range recs {
		for _, o := range r.Outputs {
			outputs = append(outputs, o.Text)
		}
	}
	log := strings.Join(outputs, "\n")
	for len(log) < maxExplainInput {
		log += "\n" + log
	}
	log = log[:maxExplainInput]
	for _, filter := range []bool{true, false} {
		name := "filtered"
		if !filter {
			name = "unfiltered"
		}
		b.Run(name+"/output", func(b *testing.B) {
			filterByLiteral = filter
			defer func() { filterByLiteral = true }()
			for i := 0; b.Loop(); i++ {
				Explain(outputs[i%len(outputs)])
			}
		})
		for _, size := range []int{256 << 10, maxExplainInput} {
			if !filter && size > 256<<10 {
				continue
			}
			b.Run(fmt.Sprintf("%s/log-%dKiB", name, size>>10), func(b *testing.B) {
				filterByLiteral = filter
				defer func() { filterByLiteral = true }()
				for b.Loop() {
					Explain(log[:size])
				}
			})
		}
	}
}
