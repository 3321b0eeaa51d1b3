"""The staff console's view of the site: which plugins it has and what the caller may do there."""
