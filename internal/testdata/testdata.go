// Package testdata finds the third-party sample data that tests read from
// ../shared/data beside the checkout (it is never copied into the repository).
package testdata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the shared data directory: $AFTERSHOCK_SHARED_DATA if set, else
// the first "shared/data" found walking up from the working directory. A test
// that needs it fails when it is missing, since CI always has it.
func Dir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("AFTERSHOCK_SHARED_DATA"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		cand := filepath.Join(d, "shared", "data")
		if fi, err := os.Stat(cand); err == nil && fi.IsDir() {
			return cand
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	t.Fatalf("shared data not found above %s (set AFTERSHOCK_SHARED_DATA)", wd)
	return ""
}

// Path returns the path of a file below the shared data directory.
func Path(t testing.TB, elem ...string) string {
	t.Helper()
	return filepath.Join(append([]string{Dir(t)}, elem...)...)
}
