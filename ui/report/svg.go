package report

import (
	"fmt"
	"html"
	"strings"

	"hearth/model"
)

// Charts as inline SVG: plain shapes and text with their colours in
// attributes, so the file needs nothing else and prints as drawn.

// series is one set of bars of a chart.
type series struct {
	name   string
	colour string
	values []int
}

// Colours that read on white paper and in greyscale print (distinct
// lightness).
const (
	colourMain   = "#2f5d8a"
	colourSecond = "#e0933a"
	colourMuted  = "#9aa5b1"
	colourText   = "#222222"
)

// barChart draws grouped vertical bars, one group per label, with a
// legend; width and height in pixels.
func barChart(title string, labels []string, ss []series, width, height int) string {
	var b strings.Builder
	const left, bottom, top = 44, 34, 30
	plotW, plotH := width-left-10, height-bottom-top
	maxV := 0
	for _, s := range ss {
		for _, v := range s.values {
			maxV = max(maxV, v)
		}
	}
	scale := niceCeil(maxV)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		width, height, width, height, html.EscapeString(title))
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(title))
	// Legend.
	x := left
	for _, s := range ss {
		fmt.Fprintf(&b, `<rect x="%d" y="8" width="10" height="10" fill="%s"/>`, x, s.colour)
		fmt.Fprintf(&b, `<text x="%d" y="17" font-size="11" fill="%s">%s</text>`, x+14, colourText, html.EscapeString(s.name))
		x += 14 + 7*len(s.name) + 16
	}
	// Axis with three grid lines.
	for i := 0; i <= 2; i++ {
		v := scale * i / 2
		y := top + plotH - plotH*i/2
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="0.5"/>`, left, y, left+plotW, y, colourMuted)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10" text-anchor="end" fill="%s">%s</text>`, left-4, y+3, colourText, model.Thousands(v))
	}
	if len(labels) > 0 && scale > 0 {
		group := float64(plotW) / float64(len(labels))
		barW := group * 0.8 / float64(max(len(ss), 1))
		for i, l := range labels {
			gx := float64(left) + group*float64(i) + group*0.1
			for j, s := range ss {
				if i >= len(s.values) {
					continue
				}
				h := float64(plotH) * float64(s.values[i]) / float64(scale)
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s: %s</title></rect>`,
					gx+barW*float64(j), float64(top+plotH)-h, barW, h, s.colour,
					html.EscapeString(s.name), html.EscapeString(l), model.Thousands(s.values[i]))
			}
			if len(labels) <= 13 || i%3 == 0 {
				fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="10" text-anchor="middle" fill="%s">%s</text>`,
					gx+group*0.4, top+plotH+14, colourText, html.EscapeString(l))
			}
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// pairChart draws horizontal bars of each figure in both periods.
func pairChart(title string, names []string, cur, prev []int, width int) string {
	var b strings.Builder
	const label, row = 170, 34
	height := 30 + row*len(names)
	maxV := 0
	for i := range cur {
		maxV = max(maxV, cur[i], prev[i])
	}
	scale := max(niceCeil(maxV), 1)
	plotW := width - label - 70
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		width, height, width, height, html.EscapeString(title))
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(title))
	fmt.Fprintf(&b, `<rect x="%d" y="6" width="10" height="10" fill="%s"/><text x="%d" y="15" font-size="11" fill="%s">this period</text>`,
		label, colourMain, label+14, colourText)
	fmt.Fprintf(&b, `<rect x="%d" y="6" width="10" height="10" fill="%s"/><text x="%d" y="15" font-size="11" fill="%s">previous</text>`,
		label+110, colourMuted, label+124, colourText)
	for i, n := range names {
		y := 26 + row*i
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end" fill="%s">%s</text>`, label-8, y+14, colourText, html.EscapeString(n))
		for j, v := range []int{cur[i], prev[i]} {
			colour := colourMain
			if j == 1 {
				colour = colourMuted
			}
			w := plotW * v / scale
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="12" fill="%s"/>`, label, y+j*14, w, colour)
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10" fill="%s">%s</text>`, label+w+4, y+j*14+10, colourText, model.Thousands(v))
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// niceCeil rounds n up to 1, 2 or 5 times a power of ten, so the axis
// reads in round numbers.
func niceCeil(n int) int {
	if n <= 0 {
		return 0
	}
	p := 1
	for p*10 <= n {
		p *= 10
	}
	for _, m := range []int{1, 2, 5, 10} {
		if m*p >= n {
			return m * p
		}
	}
	return 10 * p
}
