"""The kernel's models: rows every app may point at (jobs of long work)."""

from .jobs import Job, JobState

__all__ = ["Job", "JobState"]
