// Every patient's id and metadata only (which patients a cohort command means: no counts, no
// twins), as ONE row of two aligned lists, by id: one record for the driver to decode instead of
// one per patient. Parameters: none.
// Returns: ids (list<string>), metadata (list<string or null>: each patient's metadata_json).
MATCH (p:Patient)
WITH p.id AS id, p.metadata_json AS metadata_json
ORDER BY id
RETURN collect(id) AS ids, collect([metadata_json]) AS metadata
