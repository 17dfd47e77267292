// Record, for each patient stored before its inputs kept their own metadata, the metadata it has (merged
// over its adds by an earlier medtwin) as its one legacy part (store/input_metadata.py), so that removing
// or replacing an input never takes any of it. A patient's next write does the same; `medtwin db repair`
// does it for all at once. Idempotent: patients that have the part are left alone.
// Parameters: none. Returns: patients (int: how many were recorded now).
OPTIONAL MATCH (p:Patient) WHERE p.metadata_legacy_json IS NULL
SET p.metadata_legacy_json = coalesce(p.metadata_json, '{}')
RETURN count(p) AS patients
