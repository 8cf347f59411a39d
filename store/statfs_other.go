//go:build !unix

package store

// noSpace cannot tell a full disk here; SQLite's own errors still can.
func noSpace(string) bool { return false }
