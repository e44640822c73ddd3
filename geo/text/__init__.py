"""The words people read: every label in both languages, and the closed vocabularies."""
