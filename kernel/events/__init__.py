"""Domain events leave the process: the event outbox, the per-site broadcast and the live stream.

Every event a unit of work publishes is written to ``event_outbox`` in the transaction that
raised it, handed to the site's broadcast (a Redis pub/sub channel) once that transaction
commits, and re-published by the relay job when a crash came in between (``docs/events.md``).
"""
