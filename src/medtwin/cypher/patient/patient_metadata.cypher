// Every patient's id and metadata only (which patients a cohort command means: no counts, no twins).
// Parameters: none. Returns: id, metadata_json.
MATCH (p:Patient)
RETURN p.id AS id, p.metadata_json AS metadata_json
ORDER BY id
