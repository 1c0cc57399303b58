"""Protective monitoring: who looked at a record, and alerts when a user views too many."""
