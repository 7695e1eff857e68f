"""The SPARQL 1.1 protocols: request parsing, content negotiation and result formats."""
