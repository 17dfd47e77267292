// Remove one input of a patient, in ONE statement: the input node holds everything it gave (its
// changes, symptoms, cell-type and activity statistics are its properties) and only HAS_INPUT links
// it, so deleting it leaves nothing derived from it; the patient, its other inputs, its twins (which
// then predate its inputs) stay, and its metadata becomes what the inputs left give (the key/values only
// this input gave go with it: store/input_metadata.py).
// Parameters: $patient_id, $input_id (the whole id), $metadata_json, $legacy_json, $edits_json
// (strings: the patient's metadata without this input, as add_inputs). Returns: one row (id, kind, name,
// slot, added_at, genes, symptoms, time_points, files_json, metadata_json: as list_inputs) when it was
// removed; none when the patient has no such input.
MATCH (p:Patient {id: $patient_id})-[:HAS_INPUT]->(i:PatientInput {id: $input_id})
WITH p, i, i.id AS id, i.kind AS kind, i.name AS name, i.slot AS slot, i.added_at AS added_at,
     coalesce(size(i.gene_ids), i.n_changes, 0) AS genes, size(coalesce(i.symptoms, [])) AS symptoms,
     coalesce(i.time_points, []) AS time_points, i.file_checksums_json AS files_json,
     i.metadata_json AS metadata_json
DETACH DELETE i
SET p.updated_at = datetime(), p.metadata_json = $metadata_json,
    p.metadata_legacy_json = $legacy_json, p.metadata_edits_json = $edits_json
RETURN id, kind, name, slot, added_at, genes, symptoms, time_points, files_json, metadata_json
