// Each input of a patient, described (not its changes): `patient show`, remove-input's id lookup.
// Parameters: $patient_id. Returns: id, kind, name, slot (its kind and labels, which `--replace`
// matches; null: none kept), added_at, genes (distinct genes it changes), symptoms (how many terms),
// time_points, files_json (its files' names -> sha256, as read), metadata_json (the key/values it gives the
// patient's metadata; null: stored before inputs recorded theirs), oldest first (the order a twin build
// reads them in).
MATCH (:Patient {id: $patient_id})-[:HAS_INPUT]->(i:PatientInput)
RETURN i.id AS id, i.kind AS kind, i.name AS name, i.slot AS slot, i.added_at AS added_at,
       coalesce(size(i.gene_ids), i.n_changes, 0) AS genes, size(coalesce(i.symptoms, [])) AS symptoms,
       coalesce(i.time_points, []) AS time_points, i.file_checksums_json AS files_json,
       i.metadata_json AS metadata_json
ORDER BY i.added_at, i.id
