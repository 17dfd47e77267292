// What a patient's metadata is derived from (store/input_metadata.py), read under its lock before a
// write that adds, replaces or removes inputs: the metadata now, the legacy part (null: a patient of an
// earlier medtwin, whose merged metadata becomes its legacy part), the explicit edits (`--note`), and
// each input's id, name, slot and own metadata, oldest first (the order a later one wins in).
// Parameters: $patient_id. Returns: no row for an unknown patient, else one: metadata_json, legacy_json,
// edits_json (strings or null), inputs (list of maps: id, name, slot, metadata_json).
MATCH (p:Patient {id: $patient_id})
OPTIONAL MATCH (p)-[:HAS_INPUT]->(i:PatientInput)
WITH p, i ORDER BY i.added_at, i.id
RETURN p.metadata_json AS metadata_json, p.metadata_legacy_json AS legacy_json,
       p.metadata_edits_json AS edits_json,
       collect({id: i.id, name: i.name, slot: i.slot, metadata_json: i.metadata_json}) AS inputs
