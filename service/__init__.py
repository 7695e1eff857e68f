"""Osaamiskartta: a SPARQL 1.1 service for the knowledge graph of Finnish regional education
and lifelong-guidance networks."""
