// Create the patient if new, set its metadata and attach all inputs of one command, in ONE statement:
// a command killed or failing halfway leaves none of them (before, each input was its own write and a
// killed `patient add` left a patient with 2 of its 3 inputs that looked complete).
// `--replace` removes the patient's earlier inputs of an id in $ids (those of the same name or slot, which
// store/input_metadata.replaced_ids chose under the patient's lock) in the same statement, so a kill
// leaves the old inputs or the new ones, never neither or both; an earlier input of the same content is
// the new one (kept, not removed). The patient's metadata is what its inputs give once these are
// removed and attached (store/input_metadata.py: legacy part, inputs oldest first, explicit edits).
// Parameters: $id (string), $metadata_json (string: the derived metadata), $legacy_json (string: the part
// of an earlier medtwin's merged metadata), $edits_json (string: the explicit key/values, `--note`),
// $inputs (list of maps: id, seq (int: the input's place in the command), props (map: as merge_input's
// $props, with metadata_json: what the input gives)), $ids (list<string>: earlier inputs that go; empty:
// none).
// Returns: id, created (bool), replaced (list of maps, one per input removed: id, kind, name, slot,
// added_at, genes, symptoms, time_points, files_json, metadata_json, as list_inputs), a row per input.
MERGE (p:Patient {id: $id})
  ON CREATE SET p.created_at = datetime(), p.patient_id = $id
SET p.metadata_json = $metadata_json, p.metadata_legacy_json = $legacy_json,
    p.metadata_edits_json = $edits_json, p.updated_at = datetime()
WITH p
CALL (p) {
  OPTIONAL MATCH (p)-[:HAS_INPUT]->(old:PatientInput)
  WHERE old.id IN $ids AND NOT old.id IN [row IN $inputs | row.id]
  WITH old ORDER BY old.added_at, old.id
  WITH collect(old) AS olds,
       // CASE: no earlier input is one null row, which collect() skips (a map of nulls it would not)
       collect(CASE WHEN old IS NOT NULL THEN
                 {id: old.id, kind: old.kind, name: old.name, slot: old.slot, added_at: old.added_at,
                  genes: coalesce(size(old.gene_ids), old.n_changes, 0),
                  symptoms: size(coalesce(old.symptoms, [])),
                  time_points: coalesce(old.time_points, []), files_json: old.file_checksums_json,
                  metadata_json: old.metadata_json} END) AS gone
  FOREACH (o IN olds | DETACH DELETE o)
  RETURN gone AS replaced
}
WITH p, replaced
UNWIND $inputs AS row
MERGE (i:PatientInput {id: row.id})
  // datetime() is the same for the whole statement; the inputs keep the command's order (oldest
  // first is the order a twin build reads them in) a nanosecond apart
  ON CREATE SET i.added_at = datetime() + duration({nanoseconds: row.seq}), i.patient_id = $id,
                i._new = true
SET i += row.props
MERGE (p)-[:HAS_INPUT]->(i)
WITH i, coalesce(i._new, false) AS created, replaced
REMOVE i._new
RETURN i.id AS id, created, replaced
