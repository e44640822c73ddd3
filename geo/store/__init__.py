"""Persistence: the versioned store of records, its schema, areas, backups and edits."""
