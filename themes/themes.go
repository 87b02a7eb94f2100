// Package themes holds hearth's colour palettes and the Lip Gloss styles
// built from them. Nothing here is package-level mutable state: palettes are
// returned by functions and styles are built per program, because `serve`
// runs many programs (each maybe on a different terminal) in one process.
package themes

import (
	"fmt"
	"image/color"
	"sort"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Palette is a set of colours. A palette with Auto set is the adaptive
// default: the program asks the terminal for its background colour and
// replaces it with Dark or Light when the answer arrives.
type Palette struct {
	Name string
	Auto bool
	Dark bool // designed for a dark background

	Text       color.Color // body text
	Muted      color.Color // secondary text, headers, separators
	Accent     color.Color // active tab, headings, bars
	AccentText color.Color // text drawn on Accent
	SelectBg   color.Color // selected row background
	SelectText color.Color // selected row text
	BarBg      color.Color // status line background
	BarText    color.Color // status line text
	Error      color.Color
	Warn       color.Color // deadlines closing soon
	Good       color.Color
	Stage      [5]color.Color // none, participant, contributor, regular, core
	// Reverse draws selections in reverse video instead of colours, which
	// survives any colour profile, including none.
	Reverse bool
}

// Dark is the palette for dark terminal backgrounds.
func Dark() Palette {
	return Palette{
		Name: "dark", Dark: true,
		Text:       lipgloss.Color("#D8DEE9"),
		Muted:      lipgloss.Color("#7B8394"),
		Accent:     lipgloss.Color("#E8A25C"),
		AccentText: lipgloss.Color("#1B1D23"),
		SelectBg:   lipgloss.Color("#3B4252"),
		SelectText: lipgloss.Color("#FFFFFF"),
		BarBg:      lipgloss.Color("#2A2E37"),
		BarText:    lipgloss.Color("#C0C6D2"),
		Error:      lipgloss.Color("#F0717B"),
		Warn:       lipgloss.Color("#F2C94C"),
		Good:       lipgloss.Color("#8FCB8B"),
		Stage: [5]color.Color{
			lipgloss.Color("#7B8394"), lipgloss.Color("#9AB0D6"), lipgloss.Color("#8FCB8B"),
			lipgloss.Color("#E8A25C"), lipgloss.Color("#D88FD8"),
		},
	}
}

// Light is the palette for light terminal backgrounds.
func Light() Palette {
	return Palette{
		Name:       "light",
		Text:       lipgloss.Color("#24292F"),
		Muted:      lipgloss.Color("#6E7781"),
		Accent:     lipgloss.Color("#B35900"),
		AccentText: lipgloss.Color("#FFFFFF"),
		SelectBg:   lipgloss.Color("#DDE3EA"),
		SelectText: lipgloss.Color("#000000"),
		BarBg:      lipgloss.Color("#EAEEF2"),
		BarText:    lipgloss.Color("#303840"),
		Error:      lipgloss.Color("#C0262D"),
		Warn:       lipgloss.Color("#9A6700"),
		Good:       lipgloss.Color("#1A7F37"),
		Stage: [5]color.Color{
			lipgloss.Color("#6E7781"), lipgloss.Color("#0550AE"), lipgloss.Color("#1A7F37"),
			lipgloss.Color("#B35900"), lipgloss.Color("#8250DF"),
		},
	}
}

// HighContrast uses the 16 basic ANSI colours and reverse video, so the
// terminal's own (user-tuned) colours apply and selections never depend on
// a background colour.
func HighContrast() Palette {
	return Palette{
		Name: "high-contrast", Dark: true, Reverse: true,
		Text:       lipgloss.NoColor{},
		Muted:      lipgloss.NoColor{},
		Accent:     lipgloss.Yellow,
		AccentText: lipgloss.Black,
		SelectBg:   lipgloss.NoColor{},
		SelectText: lipgloss.NoColor{},
		BarBg:      lipgloss.NoColor{},
		BarText:    lipgloss.NoColor{},
		Error:      lipgloss.BrightRed,
		Warn:       lipgloss.BrightYellow,
		Good:       lipgloss.BrightGreen,
		Stage: [5]color.Color{
			lipgloss.NoColor{}, lipgloss.BrightCyan, lipgloss.BrightGreen,
			lipgloss.BrightYellow, lipgloss.BrightMagenta,
		},
	}
}

// Auto is the adaptive default: dark colours until the terminal tells us
// its background.
func Auto() Palette {
	p := Dark()
	p.Name, p.Auto = "auto", true
	return p
}

// ForBackground resolves an adaptive palette once the background is known.
func ForBackground(dark bool) Palette {
	if dark {
		return Dark()
	}
	return Light()
}

func palettes() map[string]func() Palette {
	return map[string]func() Palette{
		"auto":          Auto,
		"dark":          Dark,
		"light":         Light,
		"high-contrast": HighContrast,
	}
}

// Names lists the valid theme names, sorted.
func Names() []string {
	ps := palettes()
	names := make([]string, 0, len(ps))
	for n := range ps {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup returns the palette called name ("" means auto).
func Lookup(name string) (Palette, error) {
	if name == "" {
		return Auto(), nil
	}
	if f, ok := palettes()[strings.ToLower(name)]; ok {
		return f(), nil
	}
	return Palette{}, fmt.Errorf("unknown theme %q (valid themes: %s)", name, strings.Join(Names(), ", "))
}

// Styles are the Lip Gloss styles of every part of the UI.
type Styles struct {
	Palette Palette

	TabActive   lipgloss.Style
	TabInactive lipgloss.Style
	TabBar      lipgloss.Style // fills the rest of the tab bar line

	Status      lipgloss.Style
	StatusError lipgloss.Style

	Header   lipgloss.Style // table header
	Selected lipgloss.Style // selected table row
	Cell     lipgloss.Style
	Muted    lipgloss.Style
	Error    lipgloss.Style
	Warn     lipgloss.Style
	Good     lipgloss.Style
	Stage    [5]lipgloss.Style

	Bar       lipgloss.Style // funnel bars
	BarEmpty  lipgloss.Style
	Heading   lipgloss.Style // detail view headings
	Title     lipgloss.Style // detail view title line
	Label     lipgloss.Style // "key:" labels in details
	FilterKey lipgloss.Style // the "/" prompt of a filter
	Link      lipgloss.Style // links in details
	Help      help.Styles

	// made tells one NewStyles from another (ID): text styled with these
	// styles may be kept until they are replaced.
	made *byte
}

// StylesID names the styles of one call of NewStyles.
type StylesID struct{ made *byte }

// ID names s: another NewStyles, as when the terminal's background is
// detected, has another ID.
func (s *Styles) ID() StylesID { return StylesID{s.made} }

// NewStyles builds the styles of a palette.
func NewStyles(p Palette) Styles {
	base := lipgloss.NewStyle()
	s := Styles{Palette: p, made: new(byte)}
	s.TabActive = base.Bold(true).Foreground(p.AccentText).Background(p.Accent).Padding(0, 1)
	s.TabInactive = base.Foreground(p.Muted).Padding(0, 1)
	s.TabBar = base
	s.Status = base.Foreground(p.BarText).Background(p.BarBg)
	s.StatusError = base.Bold(true).Foreground(p.Error).Background(p.BarBg)
	s.Header = base.Bold(true).Foreground(p.Muted)
	if p.Reverse {
		s.Selected = base.Reverse(true).Bold(true)
		s.TabActive = base.Reverse(true).Bold(true).Padding(0, 1)
	} else {
		s.Selected = base.Bold(true).Foreground(p.SelectText).Background(p.SelectBg)
	}
	s.Cell = base.Foreground(p.Text)
	s.Muted = base.Foreground(p.Muted)
	s.Error = base.Bold(true).Foreground(p.Error)
	s.Warn = base.Bold(true).Foreground(p.Warn)
	s.Good = base.Foreground(p.Good)
	for i, c := range p.Stage {
		s.Stage[i] = base.Foreground(c)
	}
	s.Bar = base.Foreground(p.Accent)
	s.BarEmpty = base.Foreground(p.Muted)
	s.Heading = base.Bold(true).Foreground(p.Accent)
	s.Title = base.Bold(true).Foreground(p.Text)
	s.Label = base.Foreground(p.Muted)
	s.FilterKey = base.Bold(true).Foreground(p.Accent)
	s.Link = base.Underline(true).Foreground(p.Accent)
	s.Help = help.Styles{
		Ellipsis:       base.Foreground(p.Muted),
		ShortKey:       base.Bold(true).Foreground(p.Text),
		ShortDesc:      base.Foreground(p.Muted),
		ShortSeparator: base.Foreground(p.Muted),
		FullKey:        base.Bold(true).Foreground(p.Text),
		FullDesc:       base.Foreground(p.Muted),
		FullSeparator:  base.Foreground(p.Muted),
	}
	return s
}
