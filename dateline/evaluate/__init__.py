"""Scoring analyses against answer keys and research corpora."""
