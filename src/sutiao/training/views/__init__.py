"""Pages of training (courses, attendance, the report) and recruitment (calls, applications)."""
