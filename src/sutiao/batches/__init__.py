"""Batches (批量): one rights holder against many respondents, one application per respondent."""
