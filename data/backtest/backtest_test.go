package backtest

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/model"
)

// TestBacktest runs the back-test on the repositories named by
// HEARTH_BACKTEST_REPO (a list separated by commas) and prints the table.
func TestBacktest(t *testing.T) {
	repos := os.Getenv("HEARTH_BACKTEST_REPO")
	if repos == "" {
		t.Skip("set HEARTH_BACKTEST_REPO to a git repository to back-test the expertise ranking")
	}
	holdout := os.Getenv("HEARTH_BACKTEST_HOLDOUT")
	var params model.ExpertiseParams
	if v := os.Getenv("HEARTH_BACKTEST_HALFLIFE_DAYS"); v != "" {
		d, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("HEARTH_BACKTEST_HALFLIFE_DAYS: %v", err)
		}
		params.HalfLife = time.Duration(d * 24 * float64(time.Hour))
	}
	if v := os.Getenv("HEARTH_BACKTEST_ACTIVE_HALFLIFE_DAYS"); v != "" {
		d, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("HEARTH_BACKTEST_ACTIVE_HALFLIFE_DAYS: %v", err)
		}
		params.ActiveHalfLife = time.Duration(d * 24 * float64(time.Hour))
	}
	for _, f := range []struct {
		env string
		dst *float64
	}{{"HEARTH_BACKTEST_DEPTH", &params.Depth}, {"HEARTH_BACKTEST_SHARE", &params.Share}, {"HEARTH_BACKTEST_PRIOR", &params.Prior}, {"HEARTH_BACKTEST_ACTIVE", &params.Active}} {
		if v := os.Getenv(f.env); v != "" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", f.env, err)
			}
			*f.dst = x
		}
	}
	for _, repo := range strings.Split(repos, ",") {
		start := time.Now()
		commits, err := ReadGit(context.Background(), repo)
		if err != nil {
			t.Fatal(err)
		}
		n, err := holdoutSize(holdout, len(commits))
		if err != nil {
			t.Fatal(err)
		}
		res := Run(commits, Options{Holdout: n, Params: params})
		t.Logf("%s (%s)\n%s", repo, time.Since(start).Round(time.Second), res.Table())
	}
}

// holdoutSize reads HEARTH_BACKTEST_HOLDOUT: a count, or a share ending in %.
func holdoutSize(s string, total int) (int, error) {
	if s == "" {
		return 2000, nil
	}
	if p, ok := strings.CutSuffix(s, "%"); ok {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil {
			return 0, err
		}
		return int(f / 100 * float64(total)), nil
	}
	return strconv.Atoi(s)
}
