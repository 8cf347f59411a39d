package main

import (
	"strings"
	"testing"
)

// TestHelpExitsZero checks that asking for the usage is not an error
// (issue 19 item 9: "aftershock --help" exited 2).
func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, out, errOut := cli(t, "", args...)
		if code != 0 {
			t.Errorf("aftershock %s: exit %d, want 0", args[0], code)
		}
		if !strings.Contains(out+errOut, "Usage: aftershock") {
			t.Errorf("aftershock %s printed no usage: %q %q", args[0], out, errOut)
		}
	}
}
