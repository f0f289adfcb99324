//go:build !race

package diagnose

// raceEnabled says the test binary was built with -race: the live test
// then replays a sample of its scenarios (raceSample).
const raceEnabled = false
