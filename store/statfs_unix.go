//go:build unix

package store

import "syscall"

// noSpace reports whether the filesystem holding dir has less than 1 MiB
// free for this process.
func noSpace(dir string) bool {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return false
	}
	return uint64(st.Bavail)*uint64(st.Bsize) < 1<<20
}
