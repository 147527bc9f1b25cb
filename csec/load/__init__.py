"""Reading content: YAML with positions, the schema, county overlays and cross-references, into one Corpus."""
