package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// htmlElements are the elements a report may use; anything else (script,
// img, link, iframe, object…) is an error.
var htmlElements = map[string]bool{
	"html": true, "head": true, "meta": true, "title": true, "style": true, "body": true,
	"h1": true, "h2": true, "h3": true, "p": true, "ul": true, "li": true, "figure": true,
	"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
	"svg": true, "rect": true, "line": true, "text": true,
}

// Validate checks that page is a self-contained report: well-formed (a
// strict XML parse: every element closed and nested, attributes quoted,
// entities known), one html, head, title and body, only the elements a
// report uses, and nothing that would load from elsewhere or run: no src
// or href attribute, no script, no @import or url( in the styles.
func Validate(page []byte) error {
	low := strings.ToLower(string(page))
	for _, bad := range []string{"<script", "@import", "url(", "src=", "href=", "javascript:"} {
		if strings.Contains(low, bad) {
			return fmt.Errorf("the page contains %q", bad)
		}
	}
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict = true
	counts := map[string]int{} // outside SVG, whose shapes have titles of their own
	depth, inSVG := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("not well-formed: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if !htmlElements[name] {
				return fmt.Errorf("element <%s> is not allowed in a report", name)
			}
			if depth == 0 && name != "html" {
				return fmt.Errorf("the root element is <%s>", name)
			}
			for _, a := range t.Attr {
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
					return fmt.Errorf("<%s> has an event handler %s", name, a.Name.Local)
				}
			}
			if name == "svg" {
				inSVG++
			}
			if inSVG == 0 {
				counts[name]++
			}
			depth++
		case xml.EndElement:
			if t.Name.Local == "svg" {
				inSVG--
			}
			depth--
		case xml.Directive:
			if !strings.EqualFold(string(t), "DOCTYPE html") {
				return fmt.Errorf("unexpected directive <!%s>", t)
			}
		}
	}
	for _, one := range []string{"html", "head", "title", "body"} {
		if counts[one] != 1 {
			return fmt.Errorf("%d <%s> elements, want one", counts[one], one)
		}
	}
	return nil
}
