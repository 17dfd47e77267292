// The patient-level activities (TFs and pathways, no cell type / tissue context) of the latest
// complete twin of each patient.
// Parameters: $ids (list<string>: patient ids). Returns: patient_id, twin_id, kind
// ('tf' | 'pathway'), names (list<string>), scores (list<float>, aligned with names).
UNWIND $ids AS pid
MATCH (:Patient {id: pid})-[:HAS_TWIN]->(t:Twin {status: 'complete'})
WITH pid, t ORDER BY t.version DESC
WITH pid, collect(t)[0] AS t
MATCH (t)-[a:ACTIVITY]->(n)
  WHERE a.context IS NULL
WITH pid, t, CASE WHEN n:Pathway THEN 'pathway' ELSE 'tf' END AS kind,
     coalesce(n.symbol, n.name, n.id) AS name, a.score AS score
ORDER BY name
RETURN pid AS patient_id, t.id AS twin_id, kind, collect(name) AS names, collect(score) AS scores
ORDER BY patient_id, kind
