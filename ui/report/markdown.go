package report

import (
	"fmt"
	"io"
	"strings"

	"hearth/model"
)

// Markdown writes the report as Markdown: tables for the figures, text
// bars for the charts, so it reads the same in a terminal and rendered.
func Markdown(w io.Writer, r *Report) error {
	m := &mdWriter{w: w}
	c, p := &r.Current, &r.Previous
	m.printf("# Community health report\n\n")
	m.printf("%s, compared with %s.\n\n", periodText(*c), periodText(*p))

	m.printf("## Headline figures\n\n")
	m.printf("| Figure | This period | Previous | Change |\n| --- | ---: | ---: | ---: |\n")
	for _, f := range r.figures() {
		mark := ""
		switch f.better() {
		case 1:
			mark = " ▲"
		case -1:
			mark = " ▼"
		}
		m.printf("| %s | %s | %s | %s%s |\n", f.name, f.curText(), f.prevText(), f.change(), mark)
	}
	m.printf("\n▲ better, ▼ worse than the previous period.")
	if r.ExcludeStaff {
		m.printf(" Staff are left out of conversion and the bus and elephant factors.")
	}
	m.printf("\n\n")

	m.printf("## Members by month\n\n```\n")
	top := 0
	for _, x := range c.Months {
		top = max(top, x.Active)
	}
	for _, x := range c.Months {
		m.printf("%s  %s %s active, %s new, %s first contributions\n", x.Month, textBar(x.Active, top, 30),
			model.Thousands(x.Active), model.Thousands(x.New), model.Thousands(x.NewContributors))
	}
	m.printf("```\n\n")

	m.printf("## Who carries the work\n\n")
	m.printf("- Bus factor %d: %s\n", c.Bus.N, orNone(people(c.Bus)))
	m.printf("- Elephant factor %d: %s\n\n", c.Elephant.N, orNone(people(c.Elephant)))

	m.printf("## Top topics\n\n")
	if len(r.Topics) == 0 {
		m.printf("No question had topics in this period.\n\n")
	} else {
		m.printf("```\n")
		for _, t := range r.Topics {
			m.printf("%-24s %s %d\n", model.CleanLine(t.Topic), textBar(t.N, r.Topics[0].N, 24), t.N)
		}
		m.printf("```\n\n")
	}

	m.printf("## Events\n\n")
	m.events("Held in the period", r.Held)
	m.events("Coming", r.Coming)
	return m.err
}

func (m *mdWriter) events(title string, es []model.Event) {
	m.printf("### %s\n\n", title)
	if len(es) == 0 {
		m.printf("None.\n\n")
		return
	}
	for _, e := range es {
		m.printf("- %s — %s", e.Start.Format("2006-01-02"), mdEscape(model.CleanLine(e.Name)))
		if e.Place != "" {
			m.printf(", %s", mdEscape(model.CleanLine(e.Place)))
		}
		m.printf("\n")
	}
	m.printf("\n")
}

func orNone(s string) string {
	if s == "" {
		return "nobody contributed"
	}
	return mdEscape(s)
}

// mdEscape keeps names from turning into Markdown.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;", "|", `\|`)
	return r.Replace(s)
}

// textBar draws n of top as a bar of at most width blocks.
func textBar(n, top, width int) string {
	if top <= 0 {
		return strings.Repeat(" ", width)
	}
	k := (n*width + top - 1) / top
	return strings.Repeat("█", k) + strings.Repeat(" ", width-k)
}

type mdWriter struct {
	w   io.Writer
	err error
}

func (m *mdWriter) printf(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format, args...)
	}
}
