package report

import (
	"fmt"
	"html"
	"io"

	"hearth/model"
)

// HTML writes the report as one self-contained page: the styles inline,
// the charts inline SVG, system fonts, nothing fetched. The markup is also
// well-formed XML (every element closed, attributes quoted), which the
// tests check with a strict parser.
func HTML(w io.Writer, r *Report) error {
	h := &htmlWriter{w: w}
	c, p := &r.Current, &r.Previous
	h.raw("<!DOCTYPE html>\n")
	h.raw(`<html xmlns="http://www.w3.org/1999/xhtml" lang="en">` + "\n<head>\n")
	h.raw(`<meta charset="utf-8"/>` + "\n")
	h.raw(`<meta name="viewport" content="width=device-width, initial-scale=1"/>` + "\n")
	h.printf("<title>Community health report, %s</title>\n", esc(periodText(*c)))
	h.raw("<style>\n" + pageStyle + "</style>\n</head>\n<body>\n")
	h.raw("<h1>Community health report</h1>\n")
	h.printf(`<p class="period">%s, compared with %s.</p>`+"\n", esc(periodText(*c)), esc(periodText(*p)))

	h.raw("<h2>Headline figures</h2>\n<table>\n<thead><tr><th>Figure</th><th>This period</th><th>Previous</th><th>Change</th></tr></thead>\n<tbody>\n")
	for _, f := range r.figures() {
		class, mark := "same", ""
		switch f.better() {
		case 1:
			class, mark = "better", " ▲"
		case -1:
			class, mark = "worse", " ▼"
		}
		h.printf(`<tr><td>%s</td><td class="num">%s</td><td class="num">%s</td><td class="num %s">%s%s</td></tr>`+"\n",
			esc(f.name), esc(f.curText()), esc(f.prevText()), class, esc(f.change()), mark)
	}
	h.raw("</tbody>\n</table>\n")
	note := "▲ better, ▼ worse than the previous period."
	if r.ExcludeStaff {
		note += " Staff are left out of conversion and the bus and elephant factors."
	}
	h.printf(`<p class="note">%s</p>`+"\n", esc(note))

	h.raw("<h2>Members, this period and the previous one</h2>\n<figure>\n")
	h.raw(pairChart("Members, this period and the previous one",
		[]string{"Members", "New members", "Active members", "Contributed"},
		[]int{c.Members, c.New, c.Active, c.Contributed}, []int{p.Members, p.New, p.Active, p.Contributed}, 640))
	h.raw("\n</figure>\n")

	labels := make([]string, len(c.Months))
	active, newcomers, contribs := make([]int, len(c.Months)), make([]int, len(c.Months)), make([]int, len(c.Months))
	for i, m := range c.Months {
		labels[i], active[i], newcomers[i], contribs[i] = m.Month, m.Active, m.New, m.NewContributors
	}
	h.raw("<h2>By month</h2>\n<figure>\n")
	h.raw(barChart("Active members per month", labels, []series{{"active members", colourMain, active}}, 640, 200))
	h.raw("\n</figure>\n<figure>\n")
	h.raw(barChart("New members and first contributions per month", labels,
		[]series{{"new members", colourMuted, newcomers}, {"first contributions", colourSecond, contribs}}, 640, 200))
	h.raw("\n</figure>\n")

	h.raw("<h2>Who carries the work</h2>\n<ul>\n")
	h.printf("<li>Bus factor %d: %s</li>\n", c.Bus.N, esc(orNobody(people(c.Bus))))
	h.printf("<li>Elephant factor %d: %s</li>\n</ul>\n", c.Elephant.N, esc(orNobody(people(c.Elephant))))

	h.raw("<h2>Top topics</h2>\n")
	if len(r.Topics) == 0 {
		h.raw("<p>No question had topics in this period.</p>\n")
	} else {
		names, counts := make([]string, len(r.Topics)), make([]int, len(r.Topics))
		for i, t := range r.Topics {
			names[i], counts[i] = model.CleanLine(t.Topic), t.N
		}
		h.raw("<figure>\n" + barChart("Questions per topic", names, []series{{"questions", colourMain, counts}}, 640, 200) + "\n</figure>\n")
	}

	h.raw("<h2>Events</h2>\n")
	h.events("Held in the period", r.Held)
	h.events("Coming", r.Coming)
	h.printf(`<p class="note">Generated %s by hearth.</p>`+"\n", esc(r.Generated.UTC().Format("2006-01-02 15:04 MST")))
	h.raw("</body>\n</html>\n")
	return h.err
}

func (h *htmlWriter) events(title string, es []model.Event) {
	h.printf("<h3>%s</h3>\n", esc(title))
	if len(es) == 0 {
		h.raw("<p>None.</p>\n")
		return
	}
	h.raw("<ul>\n")
	for _, e := range es {
		line := e.Start.Format("2006-01-02") + " — " + model.CleanLine(e.Name)
		if e.Place != "" {
			line += ", " + model.CleanLine(e.Place)
		}
		h.printf("<li>%s</li>\n", esc(line))
	}
	h.raw("</ul>\n")
}

func orNobody(s string) string {
	if s == "" {
		return "nobody contributed"
	}
	return s
}

func esc(s string) string { return html.EscapeString(s) }

// pageStyle is the whole stylesheet: system fonts, and a print layout
// that keeps charts and tables whole on a page.
const pageStyle = `body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1rem; }
.period, .note { color: #555; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 0.3rem 0.5rem; border-bottom: 1px solid #e4e4e4; text-align: left; }
td.num, th:not(:first-child) { text-align: right; font-variant-numeric: tabular-nums; }
.better { color: #1d6b35; }
.worse { color: #a33a1d; }
figure { margin: 1rem 0; }
svg { max-width: 100%; height: auto; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  figure, table, ul { break-inside: avoid; }
  .better, .worse { color: #000; }
}
`

type htmlWriter struct {
	w   io.Writer
	err error
}

func (h *htmlWriter) raw(s string) {
	if h.err == nil {
		_, h.err = io.WriteString(h.w, s)
	}
}

func (h *htmlWriter) printf(format string, args ...any) {
	h.raw(fmt.Sprintf(format, args...))
}
