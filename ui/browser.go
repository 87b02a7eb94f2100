package ui

import tea "charm.land/bubbletea/v2"

// browser is what the Members, Questions and Events tabs share: a list
// whose enter opens a detail page that loads in the background, keyed by
// K (a member or question id, an event UID). A tab embeds it and adds its
// data, columns and pages.
type browser[K comparable] struct {
	list   list
	detail detail
	// opened is the key of the detail shown or loading; a detail that
	// arrives for another key was asked for before the user moved on.
	opened K
}

func newBrowser[K comparable](c *Context, cols []column) browser[K] {
	return browser[K]{list: newList(c, cols), detail: detail{c: c}}
}

func (b *browser[K]) SetSize(w, h int) {
	b.list.setSize(w, h)
	b.detail.setSize(w, h)
}

// Capturing reports that the list's filter is taking text input.
func (b *browser[K]) Capturing() bool { return !b.detail.open && b.list.typing }

// navigate handles a key or mouse message for the open detail or the list.
// It returns the row the user chose to open, if any, or a command the
// detail asked for.
func (b *browser[K]) navigate(msg tea.Msg) (row int32, chosen bool, cmd tea.Cmd) {
	if b.detail.open {
		back, cmd := b.detail.update(msg)
		if back {
			b.detail.close()
		}
		return 0, false, cmd
	}
	if b.list.update(msg) {
		row, chosen = b.list.table.selected()
	}
	return row, chosen, nil
}

// open shows the detail of key as loading; its page arrives through
// loaded.
func (b *browser[K]) open(key K) {
	b.opened = key
	b.detail.startLoading()
}

// loaded shows a detail page that arrived for key, unless the user closed
// it or opened another one meanwhile.
func (b *browser[K]) loaded(key K, err error, page func(w int) page) {
	if !b.detail.open || key != b.opened {
		return
	}
	if err != nil {
		b.detail.fail(err)
		return
	}
	b.detail.show(page)
}

// view renders the open detail, the empty message, or the list.
func (b *browser[K]) view(empty string, fill func(int32, []cell), heading func(int32) string) string {
	if b.detail.open {
		return b.detail.view()
	}
	if b.list.n == 0 {
		return empty
	}
	return b.list.view(fill, heading)
}
