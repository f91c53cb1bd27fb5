package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// Exit codes: part of the public contract for scripts.
const (
	exitOK       = 0 // nothing at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitUsage    = 2 // bad flags or arguments
	exitErrors   = 3 // some input could not be scanned (the rest was)
	exitCancel   = 130
)

// usageError marks errors that are the caller's mistake (exit 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// exitCodeError carries a non-zero exit code that is not a failure of the
// program itself (findings, unreadable inputs).
type exitCodeError struct{ code int }

func (e *exitCodeError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// run is the whole program; main only calls os.Exit with its result, so
// tests drive the CLI in-process.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app := newApp(stdout, stderr)
	err := app.RunContext(ctx, args)
	if err == nil {
		return exitOK
	}
	var ec *exitCodeError
	var ue *usageError
	switch {
	case errors.As(err, &ec):
		return ec.code
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "tracescan: %s\nRun 'tracescan --help' for usage.\n", ue.msg)
		return exitUsage
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "tracescan: cancelled")
		return exitCancel
	}
	if isFlagError(err) {
		fmt.Fprintf(stderr, "tracescan: %s\nRun 'tracescan --help' for usage.\n", err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "tracescan: %s\n", err)
	return exitErrors
}

// isFlagError recognises urfave/cli's flag parsing errors, which it returns
// as plain errors.
func isFlagError(err error) bool {
	msg := err.Error()
	for _, s := range []string{"flag provided but not defined", "invalid value", "flag needs an argument",
		"Required flag", "No help topic"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func newApp(stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:  "tracescan",
		Usage: "find marks in meeting recordings that identify who recorded them",
		Description: "tracescan reads recordings (video or audio, any format ffmpeg knows) and reports what\n" +
			"would trace them back to their recorder: visible email watermarks, hidden audio\n" +
			"signatures, ultrasonic beacons, identifying metadata, file names and side files.\n" +
			"Each finding says what it is, where it is, how sure the scan is, and what to do.\n" +
			"Nothing leaves this machine: no network access, temporary files are wiped.",
		Version:         versionString(),
		Writer:          stdout,
		ErrWriter:       stderr,
		HideHelpCommand: true,
		// urfave/cli's default handler calls os.Exit for any error with an
		// ExitCode method (an ffmpeg *exec.ExitError has one): exit codes
		// are ours to choose, in run.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return &usageError{err.Error()}
		},
		Commands: []*cli.Command{
			scanCommand(stdout, stderr),
			diffCommand(stdout, stderr),
			reportCommand(stdout),
			mergeCommand(stdout),
			{
				Name:  "version",
				Usage: "print the version",
				Action: func(c *cli.Context) error {
					fmt.Fprintf(stdout, "tracescan %s\n", versionString())
					return nil
				},
			},
		},
		CommandNotFound: func(c *cli.Context, name string) {
			fmt.Fprintf(stderr, "tracescan: unknown command %q\n", name)
		},
	}
	app.Action = func(c *cli.Context) error {
		if c.NArg() > 0 {
			return usagef("unknown command %q", c.Args().First())
		}
		return cli.ShowAppHelp(c)
	}
	return app
}

func versionString() string {
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 7 {
				v += " (" + s.Value[:7] + ")"
			}
		}
	}
	return v
}

// newLogger logs to stderr: warnings by default, debug with --verbose. It
// is also the default logger, which the detectors log through.
func newLogger(stderr io.Writer, verbose, quiet bool) *slog.Logger {
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelDebug
	}
	if quiet {
		level = slog.LevelError
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(log)
	return log
}
