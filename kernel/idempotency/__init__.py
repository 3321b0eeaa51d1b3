"""Idempotent unsafe requests: a retry with the same ``Idempotency-Key`` gets the first answer.

One store for every plugin (checkout, cart writes, staff actions): the key is claimed in the
transaction that does the work, the rendered answer is stored with it, and a retry within the
key's lifetime gets that answer back without the work being done again.
"""
