// Create the patient if new, set its metadata and attach all inputs of one command, in ONE statement:
// a command killed or failing halfway leaves none of them (before, each input was its own write and a
// killed `patient add` left a patient with 2 of its 3 inputs that looked complete).
// `--replace` removes the patient's earlier inputs named in $replace (an input's name is its files' names,
// or its kind for symptoms), of a slot in $slots (its kind and labels: platform/patient_inputs.input_slot)
// or of an id in $ids (inputs stored before slots were kept, whose changes give one of $slots) in the
// same statement, so a kill leaves the old inputs or the new ones, never neither or both; an earlier
// input of the same content is the new one (kept, not removed).
// Parameters: $id (string), $metadata_json (string: the merged metadata), $inputs (list of maps:
// id, seq (int: the input's place in the command), props (map: as merge_input's $props)),
// $replace (list<string>: names whose earlier inputs go; empty: none), $slots (list<string>: slots whose
// earlier inputs go; empty: none), $ids (list<string>: earlier inputs that go; empty: none).
// Returns: id, created (bool), replaced (list of maps, one per input removed: id, kind, name, slot,
// added_at, genes, symptoms, time_points, as list_inputs), one row per input.
MERGE (p:Patient {id: $id})
  ON CREATE SET p.created_at = datetime(), p.patient_id = $id
SET p.metadata_json = $metadata_json, p.updated_at = datetime()
WITH p
CALL (p) {
  OPTIONAL MATCH (p)-[:HAS_INPUT]->(old:PatientInput)
  WHERE (old.name IN $replace OR old.slot IN $slots OR old.id IN $ids)
    AND NOT old.id IN [row IN $inputs | row.id]
  WITH old ORDER BY old.added_at, old.id
  WITH collect(old) AS olds,
       // CASE: no earlier input is one null row, which collect() skips (a map of nulls it would not)
       collect(CASE WHEN old IS NOT NULL THEN
                 {id: old.id, kind: old.kind, name: old.name, slot: old.slot, added_at: old.added_at,
                  genes: coalesce(size(old.gene_ids), old.n_changes, 0),
                  symptoms: size(coalesce(old.symptoms, [])),
                  time_points: coalesce(old.time_points, [])} END) AS gone
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
