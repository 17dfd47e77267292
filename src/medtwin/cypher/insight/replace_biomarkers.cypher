// Store a twin's biomarker suggestions, replacing any earlier ones of that twin, in one transaction:
// (:Twin)-[:SUGGESTS_BIOMARKER {uid, rank, key, suggestion_json}]->(:Protein); uid = '<twin id>|<entrez>' is
// unique (constraint suggests_biomarker_uid), so a race cannot store a suggestion twice. They hang off the
// patient-specific Twin node, so deleting the patient (or the twin) deletes them.
// Parameters: $twin_id (string), $key (string: ranking id, its creation time and the rule's limits the
// suggestions were computed for), $rows (list<map>: entrez, rank, suggestion_json).
// The twin keeps $key as t.biomarkers_key: what its suggestions (possibly none) were computed for, so
// that "none found" is read back too (platform/stored_insights.py).
// Returns: n (relationships created; 0 when the twin is not complete).
MATCH (t:Twin {id: $twin_id, status: 'complete'})
CALL (t) {
  MATCH (t)-[old:SUGGESTS_BIOMARKER]->(:Protein)
  DELETE old
}
SET t.biomarkers_key = $key
WITH t
UNWIND $rows AS row
MATCH (p:Protein {id: row.entrez})
CREATE (t)-[r:SUGGESTS_BIOMARKER]->(p)
SET r.uid = $twin_id + '|' + row.entrez, r.rank = row.rank, r.key = $key, r.suggestion_json = row.suggestion_json, r.computed_at = datetime()
RETURN count(r) AS n
