"""The staff's reports: the daily sales report (stored, downloadable as CSV, mailed)."""
