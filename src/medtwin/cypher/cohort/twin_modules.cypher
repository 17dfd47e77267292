// The module genes (or every gene) of the latest twin of each patient, with the patient's log2fc.
// Parameters: $ids (list<string>: patient ids), $module_only (bool). Returns: patient_id, twin_id, genes (list<string>),
// log2fc (list<float or null>, aligned with genes).
UNWIND $ids AS pid
MATCH (:Patient {id: pid})-[:HAS_TWIN]->(t:Twin)
WITH pid, t ORDER BY t.version DESC
WITH pid, collect(t)[0] AS t
OPTIONAL MATCH (t)-[i:INCLUDES]->(g:Protein)
  WHERE i.in_module OR NOT $module_only
WITH pid, t, g, i ORDER BY g.id
WITH pid, t, collect(CASE WHEN g IS NULL THEN null ELSE {id: g.id, log2fc: i.log2fc} END) AS pairs
RETURN pid AS patient_id, t.id AS twin_id, [x IN pairs | x.id] AS genes,
       [x IN pairs | x.log2fc] AS log2fc
