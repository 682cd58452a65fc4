"""Ingest: a transcript parsed into fixture records, and the one loader that stores them
(corrections kept): parsing -> fixtures -> loading; imports and identities drive it."""
