package themes

import (
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	for _, name := range Names() {
		p, err := Lookup(name)
		if err != nil || p.Name != name {
			t.Fatalf("Lookup(%q) = %q, %v", name, p.Name, err)
		}
		s := NewStyles(p)
		if s.TabActive.Render("x") == "" || s.Selected.Render("row") == "" {
			t.Fatalf("%s: empty styles", name)
		}
	}
	if p, err := Lookup(""); err != nil || !p.Auto {
		t.Fatalf("the default theme is not auto: %+v %v", p.Name, err)
	}
	if p, err := Lookup("LIGHT"); err != nil || p.Name != "light" {
		t.Fatalf("names are case-insensitive: %v", err)
	}
	_, err := Lookup("solarized")
	if err == nil {
		t.Fatal("unknown theme accepted")
	}
	for _, want := range []string{"solarized", "auto", "dark", "light", "high-contrast"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestPalettesAreIndependentValues(t *testing.T) {
	a := Dark()
	a.Name = "changed"
	a.Stage[1] = nil
	if b := Dark(); b.Name != "dark" || b.Stage[1] == nil {
		t.Fatal("changing one program's palette changed another's")
	}
}

func TestForBackground(t *testing.T) {
	if !ForBackground(true).Dark || ForBackground(false).Dark {
		t.Fatal("ForBackground picks the wrong palette")
	}
}

func TestHighContrastSelectionSurvivesWithoutColour(t *testing.T) {
	s := NewStyles(HighContrast())
	if !s.Selected.GetReverse() {
		t.Fatal("high-contrast selection must use reverse video")
	}
}
