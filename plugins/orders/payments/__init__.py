"""Paying orders through a provider: payment attempts, the webhook inbox, captures and refunds
at the provider, as the orders side records them."""
