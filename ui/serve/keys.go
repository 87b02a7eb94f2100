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
	// Viewer browses the directory without private data and writes
	// nothing.
	Viewer Role = iota
	// Manager has what the local TUI has.
	Manager
)

func (r Role) String() string {
	if r == Manager {
		return "manager"
	}
	return "viewer"
}

// User is someone the server knows: a name, a role and the OpenSSH public
// keys (authorized_keys lines) they log in with.
type User struct {
	Name string
	Role Role
	Keys []string
}

// person is who a key belongs to.
type person struct {
	name string // "" for a key of the authorized keys file with no comment
	role Role
}

// keyring maps a marshalled public key to its owner.
type keyring map[string]person

// Refusal is the one line a key nobody listed gets, unless the server is
// open.
const Refusal = "this hearth does not know your key; ask its managers to add it"

// guest is the name of a session whose key nobody listed (an open server).
const guest = "guest"

// readAuthorizedKeys adds the keys of an OpenSSH authorized_keys file as
// viewers, each named by the comment of its line: the way to let a whole
// team browse. Managers are named in the configuration (addUsers). Blank
// lines and # comments are skipped; any other line that is not a key is an
// error naming the line, so a mistyped key is not silently refused.
func (k keyring) readAuthorizedKeys(path string) error {
	body, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("authorized keys: %w", err)
	}
	for i, line := range bytes.Split(body, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, comment, _, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			return fmt.Errorf("%s:%d: not an SSH public key", path, i+1)
		}
		k[string(key.Marshal())] = person{name: strings.TrimSpace(comment), role: Viewer}
	}
	return nil
}

// addUsers adds the users' keys; a key also in the authorized keys file
// takes the user's name and role.
func (k keyring) addUsers(users []User) error {
	for _, u := range users {
		if strings.TrimSpace(u.Name) == "" {
			return fmt.Errorf("serve: a user without a name")
		}
		for _, line := range u.Keys {
			key, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
			if err != nil {
				return fmt.Errorf("serve: user %s: not an SSH public key", u.Name)
			}
			k[string(key.Marshal())] = person{name: u.Name, role: u.Role}
		}
	}
	return nil
}

// lookup is the owner of key; ok is false for a key nobody listed (or
// none at all).
func (k keyring) lookup(key gossh.PublicKey) (p person, ok bool) {
	if key == nil {
		return person{}, false
	}
	p, ok = k[string(key.Marshal())]
	return p, ok
}

// managers is how many keys are a manager's.
func (k keyring) managers() int {
	n := 0
	for _, p := range k {
		if p.role == Manager {
			n++
		}
	}
	return n
}
