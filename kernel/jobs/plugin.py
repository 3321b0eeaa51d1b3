"""The jobs platform's hook implementations (always enabled)."""
