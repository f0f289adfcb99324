package creds

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Event reports one reload attempt of a source that changed its snapshot
// or failed. Reloads that find the files unchanged report nothing.
type Event struct {
	ID string
	// Gen is the source's generation after the attempt: the new one when
	// Changed, the one still in service when Err is set.
	Gen     uint64
	Changed bool
	// Err says why the new files were refused; the previous snapshot
	// stays in service. It wraps the [*LoadError] (and, through it,
	// the error of [LoadOptions.Check], such as lint's findings).
	Err error
	// Trigger is what started the attempt: "poll" or the signal's name.
	Trigger string
}

// Watcher polls the files of a registry's sources and reloads the sources
// whose files changed. It is for one goroutine at a time; see
// [Registry.Watch] for the loop.
//
// A poll costs one stat per file: only a file whose size, modification
// time, inode or device differs from the last poll makes its source
// reload, and [Source.Reload] then compares the content digest, so a
// touched but unchanged file builds nothing. The stamps are taken before
// the files are read, so a write that lands during a reload is seen by
// the next poll. Polling, unlike
// inotify, sees files replaced under bind mounts and by atomic renames of
// a parent directory (Kubernetes' Secret volumes swap a symlink).
//
// A source whose reload failed (a certificate written before its key, a
// truncated file) keeps its snapshot and is retried on every poll until a
// reload succeeds; its failure is reported again only when its files or
// its error change, so a broken directory does not flood the log.
type Watcher struct {
	reg   *Registry
	state map[*Source]*watchState
}

type watchState struct {
	stamp   []fileStamp // what the last attempt saw
	failed  bool
	lastErr string
}

// fileStamp is what a poll compares: a file rewritten in place changes
// its size or modification time, one renamed into place its inode.
type fileStamp struct {
	path        string
	exists      bool
	size        int64
	mtime       int64 // unix nanoseconds
	ino, dev    uint64
	statFailure string
}

// NewWatcher returns a watcher over r's sources, those added later
// included. The first [Watcher.Poll] of a source reloads it (the files
// may have changed since it was loaded); later ones only when its files
// change.
func NewWatcher(r *Registry) *Watcher {
	return &Watcher{reg: r, state: map[*Source]*watchState{}}
}

// Poll checks every source once and reloads those whose files changed
// (or whose last reload failed), calling onEvent (when not nil) for each
// attempt that changed a snapshot or failed, in id order.
func (w *Watcher) Poll(onEvent func(Event)) {
	for _, src := range w.reg.sortedSources() {
		st, seen := w.state[src]
		stamp := stampFiles(watchedPaths(src.Current()))
		if !seen {
			// The files may have changed since the source loaded them:
			// the first poll compares contents once.
			st = &watchState{stamp: stamp}
			w.state[src] = st
		}
		changed := !seen || !slices.Equal(stamp, st.stamp)
		if !changed && !st.failed {
			continue
		}
		st.stamp = stamp
		ev := reloadSource(src, "poll")
		switch {
		case ev.Err == nil:
			st.failed, st.lastErr = false, ""
			if ev.Changed {
				// The new snapshot may read other files (a numbered
				// identity appeared). Stamping them now could record a
				// write that came after the read: forget the stamps, so
				// the next poll compares contents once more.
				if !slices.Equal(watchedPaths(src.Current()), stampPaths(stamp)) {
					st.stamp = nil
				}
				emit(onEvent, ev)
			}
		case changed || ev.Err.Error() != st.lastErr:
			st.failed, st.lastErr = true, ev.Err.Error()
			emit(onEvent, ev)
		}
	}
}

func emit(onEvent func(Event), ev Event) {
	if onEvent != nil {
		onEvent(ev)
	}
}

// reloadSource reloads src and describes the attempt.
func reloadSource(src *Source, trigger string) Event {
	changed, err := src.Reload()
	return Event{ID: src.ID(), Gen: src.Gen(), Changed: changed, Err: err, Trigger: trigger}
}

// watchedPaths are the files an object was built from, absent optional
// ones included (a CRL that appears is a change).
func watchedPaths(obj *Object) []string {
	if obj.Material == nil {
		return nil
	}
	return obj.Material.PlannedPaths()
}

func stampPaths(stamps []fileStamp) []string {
	paths := make([]string, len(stamps))
	for i, s := range stamps {
		paths[i] = s.path
	}
	return paths
}

func stampFiles(paths []string) []fileStamp {
	out := make([]fileStamp, len(paths))
	for i, p := range paths {
		out[i] = stampFile(p)
	}
	return out
}

func stampFile(path string) fileStamp {
	s := fileStamp{path: path}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s
	case err != nil:
		s.exists, s.statFailure = true, err.Error()
		return s
	}
	s.exists, s.size, s.mtime = true, info.Size(), info.ModTime().UnixNano()
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		s.ino, s.dev = uint64(st.Ino), uint64(st.Dev)
	}
	return s
}

// Watch polls every source of the registry each interval (see [Watcher])
// until ctx is done, then returns ctx's error. onEvent, when not nil, is
// called from Watch's goroutine for every reload that changed a snapshot
// or failed; log it. Sources added while Watch runs are watched from the
// next poll.
func (r *Registry) Watch(ctx context.Context, interval time.Duration, onEvent func(Event)) error {
	if interval <= 0 {
		return errors.New("creds: watch: the poll interval must be positive")
	}
	w := NewWatcher(r)
	w.Poll(onEvent)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			w.Poll(onEvent)
		}
	}
}

// ReloadOnSignal reloads every source of reg, in id order, each time the
// process receives one of sigs (SIGHUP when none is given), until ctx is
// done; it then stops listening and returns ctx's error. onEvent, when
// not nil, is called for every reload that changed a snapshot or failed.
// Sources whose files did not change are not rebuilt.
func ReloadOnSignal(ctx context.Context, reg *Registry, onEvent func(Event), sigs ...os.Signal) error {
	if len(sigs) == 0 {
		sigs = []os.Signal{syscall.SIGHUP}
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	defer signal.Stop(ch)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case sig := <-ch:
			name := signalName(sig)
			for _, src := range reg.sortedSources() {
				if ev := reloadSource(src, name); ev.Changed || ev.Err != nil {
					emit(onEvent, ev)
				}
			}
		}
	}
}

// sortedSources returns the registry's sources in id order.
func (r *Registry) sortedSources() []*Source {
	r.mu.RLock()
	out := make([]*Source, 0, len(r.sources))
	for _, src := range r.sources {
		out = append(out, src)
	}
	r.mu.RUnlock()
	slices.SortFunc(out, func(a, b *Source) int { return strings.Compare(a.ID(), b.ID()) })
	return out
}

func signalName(sig os.Signal) string {
	switch sig {
	case syscall.SIGHUP:
		return "SIGHUP"
	case syscall.SIGUSR1:
		return "SIGUSR1"
	case syscall.SIGUSR2:
		return "SIGUSR2"
	}
	return sig.String()
}
