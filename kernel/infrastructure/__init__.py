"""Adapters behind the kernel's ports: database, cache, rate limits, logging, mail."""
