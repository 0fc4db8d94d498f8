"""The kernel's own pages (a user's jobs)."""
