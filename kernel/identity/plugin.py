"""Identity's hook implementations (always enabled)."""
