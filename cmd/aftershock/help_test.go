package main

import (
	"os"
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

// TestGlobalFlagsAfterCommand checks that --data and -v are accepted after
// the command (issue 19 item 9: "serve --data DIR" was refused).
func TestGlobalFlagsAfterCommand(t *testing.T) {
	got, data, v := globalFlags([]string{"--data", "/x", "-v", "q", "--", "-v"}, "", false)
	if data != "/x" || !v || strings.Join(got, " ") != "q -- -v" {
		t.Fatalf("globalFlags = %q %q %v", got, data, v)
	}
	_, data, _ = globalFlags([]string{"-data=/y"}, "", false)
	if data != "/y" {
		t.Fatalf("-data=/y gave %q", data)
	}
}

// TestDevNullIsNoTerminal checks that output sent to /dev/null is not taken
// for a terminal (issue 19 item 9: "export --format xlsx > /dev/null" was refused).
func TestDevNullIsNoTerminal(t *testing.T) {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Fatal("isTerminal(/dev/null) = true")
	}
}
