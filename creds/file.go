package creds

import (
	"io/fs"

	"github.com/tlscreds/tlscreds/creds/safefile"
)

// MaxFileSize is the largest credential file tlscreds reads. Larger files
// are refused without being read whole (libvirt's own cap is 64 KiB; a CA
// bundle of a few hundred certificates stays well under 1 MiB).
const MaxFileSize = safefile.DefaultMax

// MaxCAFileSize is the cap for a CA bundle (ca-cert.pem, cacert.pem).
// QEMU reads the CA file whole with no cap of its own, and every proven
// build loads bundles over 1 MiB (fixtures.HostileSets, class
// ca-bundle-size: text around a certificate, sixteen certificates with
// large extensions), so lint reads them too; 64 MiB bounds the memory and
// the time (well under a second of PEM and DER parsing) a hostile file
// can cost.
const MaxCAFileSize = 64 << 20

// maxSize is the size cap for a file of role r.
func maxSize(r FileRole) int64 {
	if r == RoleCA {
		return MaxCAFileSize
	}
	return MaxFileSize
}

// FileError says what is wrong with one credential file; see
// [safefile.Error].
type FileError = safefile.Error

// Sentinels for errors.Is on a [FileError].
var (
	ErrNotRegular = safefile.ErrNotRegular
	ErrTooLarge   = safefile.ErrTooLarge
)

// readFile reads a credential file with [safefile.Read]: never a FIFO,
// device or directory, never more than MaxFileSize.
func readFile(path string) ([]byte, fs.FileInfo, error) { return safefile.Read(path, MaxFileSize) }

// readFileMax is readFile with another size cap. listedRegular says a
// directory listing already showed path as a regular file (not a link);
// see [safefile.ReadListed].
func readFileMax(path string, max int64, listedRegular bool) ([]byte, fs.FileInfo, error) {
	if listedRegular {
		return safefile.ReadListed(path, max)
	}
	return safefile.Read(path, max)
}
