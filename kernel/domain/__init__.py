"""Shared domain kernel: plain Python types every plugin may use (no framework imports)."""
