"""The shopper's order mails: which mail an order's change calls for, its wording, and sending
it at most once (see ``docs/decisions/0016-order-mail-at-most-once.md``)."""
