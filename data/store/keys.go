package store

// FNV-1a 64-bit parameters.
const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// ActivityKey is the value of activities.key: the FNV-1a 64-bit hash of
// source, a NUL byte and the external id, as a signed integer. The unique
// index on this one integer column replaces a (source, external_id) text
// index that would not fit in the page cache at millions of rows; the NUL
// separator keeps ("ab", "c") and ("a", "bc") apart. Both the sync engine
// and the demo generator compute keys here so they always agree.
func ActivityKey(source, externalID string) int64 {
	h := uint64(fnvOffset64)
	for i := 0; i < len(source); i++ {
		h ^= uint64(source[i])
		h *= fnvPrime64
	}
	h ^= 0
	h *= fnvPrime64
	for i := 0; i < len(externalID); i++ {
		h ^= uint64(externalID[i])
		h *= fnvPrime64
	}
	return int64(h)
}
