package config

// Health is the [health] table: how the community health figures count.
type Health struct {
	// ExcludeStaff leaves members flagged staff out of the conversion
	// rates and the bus and elephant factors (see model.HealthOptions).
	// Unset means true: those figures are about the volunteer community.
	ExcludeStaff *bool `toml:"exclude_staff"`
}

// ExcludeStaff reports whether the health figures leave staff out.
func (c *Config) ExcludeStaff() bool {
	return c.Health.ExcludeStaff == nil || *c.Health.ExcludeStaff
}
