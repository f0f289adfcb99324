//go:build unix

package main

import (
	"io/fs"
	"syscall"
)

// umask returns the process's file-creation mask without changing it.
func umask() fs.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return fs.FileMode(m)
}
