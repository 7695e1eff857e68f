"""The SHACL quality gate: every write is validated against the shapes before it stands."""
