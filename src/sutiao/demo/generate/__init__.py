"""`sutiao demo generate --cases N --seed S`: a fabricated history for tests and benchmarks.

It writes rows directly (bulk_create) instead of running the actions one case at a time: it
makes up two years of history that no clock could replay, at a million cases. The rows are
consistent all the same — every case has its court, organisation and mediator in one city,
dates in order, states that the lifecycle could reach, and the agreements, judicial
confirmations, mediation documents, filed cases, services and sessions its state implies —
and the same seed gives the same data. docs/evaluation.md describes the shapes and rates."""

from .cases import generate

__all__ = ["generate"]
