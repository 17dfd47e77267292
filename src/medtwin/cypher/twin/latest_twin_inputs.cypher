// Each patient's latest complete twin (its version and input digests) with the patient's inputs now
// (ids, digests and names only): which twins of a cohort predate their inputs.
// Parameters: $ids (list<string>). Returns: id, version, rules, input_checksums_json, inputs (list<map: id,
// sha256, name>); a patient without a complete twin is absent.
UNWIND $ids AS pid
MATCH (p:Patient {id: pid})-[:HAS_TWIN]->(t:Twin {status: 'complete'})
WITH p, t ORDER BY t.version DESC
WITH p, collect(t)[0] AS t
OPTIONAL MATCH (p)-[:HAS_INPUT]->(i:PatientInput)
WITH p, t, i ORDER BY i.id
RETURN p.id AS id, t.version AS version, t.rules AS rules, t.input_checksums_json AS input_checksums_json,
       collect(CASE WHEN i IS NULL THEN null ELSE {id: i.id, sha256: i.sha256, name: i.name} END)
         AS inputs
