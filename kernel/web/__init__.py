"""HTTP presentation helpers shared by the kernel and plugins."""
