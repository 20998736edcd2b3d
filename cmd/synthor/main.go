// Command synthor synthesizes micro-records aligned to macro-statistics with
// LLMSynthor, runs baseline synthesizers and scores synthetic tables.
package main

import (
	"context"
	"fmt"
	"os"
)

// main runs the command and exits with its status (see exitCode and
// stopper): 0, 1 for a failure, 2 for a usage error, 130 or 143 when
// stopped by SIGINT or SIGTERM.
func main() {
	ctx := stopped.watch(context.Background())
	defer func() {
		if r := recover(); r != nil {
			stopped.finish(fmt.Errorf("internal error: %v", r), false)
		}
	}()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stopped.finish(err, false)
}
