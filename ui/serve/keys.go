package serve

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	gossh "golang.org/x/crypto/ssh"
)

// Role is what a session may do.
type Role int

const (
	// Viewer browses the directory and writes nothing: any key not in the
	// authorized keys file.
	Viewer Role = iota
	// Manager has what the local TUI has: a key in the authorized keys file.
	Manager
)

func (r Role) String() string {
	if r == Manager {
		return "manager"
	}
	return "viewer"
}

// managerKeys is the set of keys read from an authorized_keys file, each
// with the comment of its line (a name for the logs).
type managerKeys map[string]string

// readAuthorizedKeys parses an OpenSSH authorized_keys file. Blank lines
// and # comments are skipped; any other line that is not a key is an error
// naming the line, so a mistyped manager key is not silently a viewer.
func readAuthorizedKeys(path string) (managerKeys, error) {
	body, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("authorized keys: %w", err)
	}
	keys := managerKeys{}
	for i, line := range bytes.Split(body, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, comment, _, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: not an SSH public key", path, i+1)
		}
		keys[string(key.Marshal())] = strings.TrimSpace(comment)
	}
	return keys, nil
}

// role is the role of a session authenticated with key (nil: none).
func (k managerKeys) role(key gossh.PublicKey) Role {
	if key == nil {
		return Viewer
	}
	if _, ok := k[string(key.Marshal())]; ok {
		return Manager
	}
	return Viewer
}
