// Command tlscreds manages named TLS credential objects the way QEMU does:
// it generates test PKI, inspects and lints credential directories, and
// troubleshoots handshakes. Run `tlscreds --help` for the commands.
package main

import "os"

func main() { os.Exit(run(os.Args, os.Stdout, os.Stderr)) }
