package access

import "syscall"

func statOf(uid, gid uint32) *syscall.Stat_t { return &syscall.Stat_t{Uid: uid, Gid: gid} }
