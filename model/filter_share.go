package model

// Share returns a filter over the same index with a memory of its own.
// The index (the row texts and fields) is never written after it is
// built, so many programs can share one copy of it; the memory of recent
// results is written by every Match, so each program needs its own.
func (f *Filter) Share() *Filter {
	return &Filter{hay: f.hay, fields: f.fields}
}
