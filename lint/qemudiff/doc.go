// Package qemudiff holds the differential test that proves lint's QEMU
// profiles against the real qemu-img builds they are named after
// (TestQEMUVersionsDifferential). It is a package of its own so that the
// test, which runs about a thousand QEMU loads on a cold cache, has its
// own time budget and runs beside the other packages' tests. See
// docs/ci.md for how to run it against your own QEMU.
package qemudiff
