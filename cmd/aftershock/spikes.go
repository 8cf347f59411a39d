package main

import (
	"context"
	"fmt"

	"github.com/aftershock/aftershock/event/spike"
)

func runSpikes(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "eval" {
		return fmt.Errorf("%w: spikes eval DIR (a folder with the NAB realTweets series and windows)", errUsage)
	}
	fs := newFlags(e, "spikes eval", "DIR\n\nDIR holds nab_realTweets_Twitter_volume_*.csv and nab_realTweets_windows.json\n(e.g. ../shared/data/volume). Prints windows found, false alarms per week and lead,\nfor our detector and a plain rolling z-score, per series and overall.")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: spikes eval takes one DIR", errUsage)
	}
	rep, err := spike.Evaluate(pos[0])
	if err != nil {
		return err
	}
	return rep.Write(e.stdout)
}
