package git

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// repoEnv is the environment every git process runs with: the caller's,
// minus the variables that would point git at another repository than the
// one we were given, plus settings that keep git from waiting for input.
func repoEnv() []string {
	redirect := []string{
		"GIT_DIR=", "GIT_WORK_TREE=", "GIT_INDEX_FILE=", "GIT_OBJECT_DIRECTORY=",
		"GIT_ALTERNATE_OBJECT_DIRECTORIES=", "GIT_COMMON_DIR=", "GIT_NAMESPACE=",
	}
	var env []string
next:
	for _, kv := range os.Environ() {
		for _, r := range redirect {
			if strings.HasPrefix(kv, r) {
				continue next
			}
		}
		env = append(env, kv)
	}
	return append(env, "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0")
}

// command prepares git with args in dir. WaitDelay bounds how long Wait
// lingers on pipes after the process is killed by a cancelled context.
func command(ctx context.Context, gitPath, dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, gitPath, append([]string{"-C", dir}, args...)...)
	cmd.Env = env
	cmd.WaitDelay = 2 * time.Second
	return cmd
}

// workDir is the directory git runs in: the repository's, or cwd when set.
func (s *Source) workDir() string {
	if s.cwd != "" {
		return s.cwd
	}
	return s.dir
}

// output runs git and returns its standard output with the trailing newline
// removed. A failure carries git's first line of complaint, which is what a
// user needs to see.
func (s *Source) output(ctx context.Context, stdin []byte, args ...string) (string, error) {
	cmd := command(ctx, s.git, s.workDir(), s.env, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", gitError(args[0], err, stderr.Bytes())
	}
	return strings.TrimSuffix(stdout.String(), "\n"), nil
}

// exitCode runs git for its exit status only (0 and 1 are answers, not
// failures, for commands such as merge-base --is-ancestor).
func (s *Source) exitCode(ctx context.Context, args ...string) (int, error) {
	cmd := command(ctx, s.git, s.workDir(), s.env, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &exit):
		return exit.ExitCode(), nil
	default:
		return 0, gitError(args[0], err, stderr.Bytes())
	}
}

// gitError turns a failed git run into one line: "git log: fatal: ...".
func gitError(sub string, err error, stderr []byte) error {
	if line := firstLine(stderr); line != "" {
		return fmt.Errorf("git %s: %s", sub, line)
	}
	return fmt.Errorf("git %s: %w", sub, err)
}

func firstLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	return s
}

// limitedBuffer keeps the first bytes written to it, so a chatty git cannot
// grow memory while we stream its standard output.
type limitedBuffer struct {
	buf bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.buf.Len(); room > 0 {
		if len(p) > room {
			b.buf.Write(p[:room])
		} else {
			b.buf.Write(p)
		}
	}
	return len(p), nil
}
