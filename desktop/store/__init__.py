"""SQLite history and audit log (WAL), one file, versioned schema per component."""
