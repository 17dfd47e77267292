// The module genes of the latest twin of each patient, with the patient's log2 fold change.
// Parameters: $ids (list<string>: patient ids). Returns: patient_id, twin_id, genes (list<string>),
// log2fc (list<float or null>, aligned with genes).
UNWIND $ids AS pid
MATCH (:Patient {id: pid})-[:HAS_TWIN]->(t:Twin)
WITH pid, t ORDER BY t.version DESC
WITH pid, collect(t)[0] AS t
OPTIONAL MATCH (t)-[i:INCLUDES]->(g:Protein)
  WHERE i.in_module
WITH pid, t, g, i ORDER BY g.id
RETURN pid AS patient_id, t.id AS twin_id, [x IN collect(g.id) WHERE x IS NOT NULL] AS genes,
       collect(i.log2fc) AS log2fc
