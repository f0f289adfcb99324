package lint

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Profile names a consumer whose acceptance rules lint reproduces: a QEMU
// build proven against its real binary, or libvirt.
type Profile string

// Profiles named after the builds they are proven against (the
// differential test in this package runs each real binary over every
// broken and good set and the generated edge cases of
// fixtures/differential), and the aliases users know.
const (
	ProfileQEMU1020 Profile = "qemu-10.2.0"
	ProfileQEMU1010 Profile = "qemu-10.1.0"
	ProfileQEMU1000 Profile = "qemu-10.0.0"
	ProfileQEMU72   Profile = "qemu-7.2.22-debian12"
	ProfileLibvirt  Profile = "libvirt"

	// ProfileQEMU is an alias of the newest proven QEMU (10.2.0).
	ProfileQEMU Profile = "qemu"
	// ProfileQEMULegacy is an alias of QEMU 7.2.22 as Debian 12 ships
	// it: the pre-10.2 loader, with the keyEncipherment relaxation
	// backported (what distributions ship before 10.2).
	ProfileQEMULegacy Profile = "qemu-legacy"
	// ProfileAuto asks the host's qemu-img for its version (see
	// [DetectQEMU]).
	ProfileAuto Profile = "auto"
)

// Profiles lists every canonical profile, default first.
var Profiles = []Profile{ProfileQEMU1020, ProfileQEMU1010, ProfileQEMU1000, ProfileQEMU72, ProfileLibvirt}

// Aliases are the profile names that stand for a proven build.
var Aliases = []Profile{ProfileQEMU, ProfileQEMULegacy}

// QEMUBuild is what lint knows of one QEMU build: the behaviours that
// differ between versions, measured with the real binary. Every build
// uses GnuTLS 3.7.9 (Debian 12) with its default policy, which decides
// key sizes, signature algorithms and PEM reading.
type QEMUBuild struct {
	Profile Profile
	Version [3]int
	// Proven is the exact first line of `qemu-img --version` of the
	// binary the differential test proves the profile against.
	Proven string
	// Modern is the 10.2 loader: identity files read as sorted chains,
	// only CAs on the chain of trust checked, cert/key pairing errors,
	// server-cert-N.pem identities, access(R_OK), the DH deprecation
	// warning, no DH generation, every file cut at its first NUL.
	Modern bool
	// CACap is how many certificates of ca-cert.pem the sanity check
	// imports (16 up to 10.0, "crypto: load all certificates in X509 CA
	// file" in 10.1); 0 means all.
	CACap int
	// KeyEncipherment: a critical keyUsage of a leaf must have
	// keyEncipherment (dropped by "crypto: stop requiring key encipherment
	// usage in x509 certs" in 10.2, the 10.1 stable updates, 10.0.7 and
	// Debian 12's 7.2+dfsg-7+deb12u18).
	KeyEncipherment bool
}

// QEMUBuilds are the proven builds, newest first.
var QEMUBuilds = []QEMUBuild{
	{Profile: ProfileQEMU1020, Version: [3]int{10, 2, 0}, Proven: "qemu-img version 10.2.0", Modern: true},
	{Profile: ProfileQEMU1010, Version: [3]int{10, 1, 0}, Proven: "qemu-img version 10.1.0", KeyEncipherment: true},
	{Profile: ProfileQEMU1000, Version: [3]int{10, 0, 0}, Proven: "qemu-img version 10.0.0", CACap: 16, KeyEncipherment: true},
	{Profile: ProfileQEMU72, Version: [3]int{7, 2, 22}, Proven: "qemu-img version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)", CACap: 16},
}

// Build is the QEMU build of a profile (aliases resolved); ok is false
// for libvirt.
func (p Profile) Build() (QEMUBuild, bool) {
	c := p.Canonical()
	for _, b := range QEMUBuilds {
		if b.Profile == c {
			return b, true
		}
	}
	return QEMUBuild{}, false
}

// Canonical resolves the aliases qemu, qemu-legacy and "" to the proven
// build they stand for.
func (p Profile) Canonical() Profile {
	switch p {
	case "", ProfileQEMU:
		return ProfileQEMU1020
	case ProfileQEMULegacy:
		return ProfileQEMU72
	}
	return p
}

// family is the alias whose per-profile severities a build inherits: the
// 10.2 loader or the legacy one.
func (p Profile) family() Profile {
	switch b, ok := p.Build(); {
	case !ok:
		return p
	case b.Modern:
		return ProfileQEMU
	default:
		return ProfileQEMULegacy
	}
}

// ErrUnknownProfile is returned by [ParseProfile] for a name it cannot read.
var ErrUnknownProfile = errors.New("unknown profile")

// ParseProfile reads a profile name: a proven build, an alias, libvirt,
// or a QEMU version ("qemu-10.0.7", "9.2", "qemu-8.2.2"), which maps to
// the nearest proven build with a note of what is unproven. "" is qemu.
// "auto" is resolved by the caller with [DetectQEMU].
func ParseProfile(s string) (Profile, string, error) {
	p := Profile(s)
	switch p {
	case "":
		return ProfileQEMU, "", nil
	case ProfileQEMU, ProfileQEMULegacy, ProfileLibvirt:
		return p, "", nil // aliases stay as given in output; Run resolves them
	}
	for _, c := range Profiles {
		if c == p {
			return p, "", nil
		}
	}
	v, ok := parseVersion(strings.TrimPrefix(s, "qemu-"))
	if !ok {
		return "", "", fmt.Errorf("%w: want qemu, qemu-legacy, libvirt, auto, a proven build (%s) or a QEMU version such as 10.0.7", ErrUnknownProfile, joinProfiles())
	}
	b, note := nearestBuild(v, false)
	return b.Profile, note, nil
}

func joinProfiles() string {
	var out []string
	for _, p := range Profiles {
		if _, ok := p.Build(); ok {
			out = append(out, string(p))
		}
	}
	return strings.Join(out, ", ")
}

func parseVersion(s string) ([3]int, bool) {
	var v [3]int
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return v, false
	}
	for i, part := range parts {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 || n > 999 {
			return v, false
		}
		v[i] = n
	}
	return v, true
}

func less(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

func vstr(v [3]int) string { return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2]) }

// nearestBuild maps a QEMU version to the proven build with the same
// loader, and says what is unproven. debian is set when the version
// string shows a Debian build.
func nearestBuild(v [3]int, debian bool) (QEMUBuild, string) {
	var b QEMUBuild
	switch {
	case !less(v, [3]int{10, 2, 0}):
		b = QEMUBuilds[0]
	case !less(v, [3]int{10, 1, 0}):
		b = QEMUBuilds[1]
	case !less(v, [3]int{10, 0, 0}):
		b = QEMUBuilds[2]
	default:
		b = QEMUBuilds[3]
	}
	if v == b.Version {
		return b, ""
	}
	note := fmt.Sprintf("QEMU %s is not proven; using profile %s (the nearest proven build with the same loader)", vstr(v), b.Profile)
	switch {
	case v[0] == 10 && v[1] == 0 && v[2] >= 7, v[0] == 10 && v[1] == 1 && v[2] >= 1:
		note += fmt.Sprintf("; unproven: %s should no longer require keyEncipherment (the stable updates carry the relaxation), while %s does", vstr(v), b.Profile)
	case less(v, [3]int{10, 0, 0}) && !debian:
		note += "; unproven: upstream builds before 10.0.7 require keyEncipherment in a critical keyUsage, which Debian 12's 7.2.22 does not"
	case less(v, [3]int{10, 0, 0}):
		note += "; unproven: which Debian update backported the keyEncipherment relaxation (7.2+dfsg-7+deb12u18 has it)"
	}
	return b, note
}

// DetectQEMU maps the first line of `qemu-img --version` (or
// `qemu-system-* --version`) to a profile: a proven build string gives
// its profile exactly; anything else the nearest proven build and a
// warning, because a version number alone does not reveal distribution
// backports.
func DetectQEMU(versionLine string) (Profile, string, error) {
	line := strings.TrimSpace(versionLine)
	for _, b := range QEMUBuilds {
		if line == b.Proven {
			return b.Profile, "", nil
		}
	}
	i := strings.Index(line, "version ")
	if i < 0 {
		return "", "", fmt.Errorf("cannot read a QEMU version from %q", line)
	}
	num, _, _ := strings.Cut(line[i+len("version "):], " ")
	v, ok := parseVersion(num)
	if !ok {
		return "", "", fmt.Errorf("cannot read a QEMU version from %q", line)
	}
	b, note := nearestBuild(v, strings.Contains(line, "Debian"))
	if note == "" {
		note = fmt.Sprintf("%q is not a proven build string; using profile %s, proven against %q", line, b.Profile, b.Proven)
	} else {
		note = fmt.Sprintf("%q: %s", line, note)
	}
	return b.Profile, note, nil
}
