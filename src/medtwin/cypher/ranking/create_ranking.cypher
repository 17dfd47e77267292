// Store a ranking of a twin version, as status 'building' (hidden until ranking/publish_ranking).
// Parameters: $twin_id, $props (map: id, method list, params_json, seed, n_drugs, seconds, ...). Returns: id.
MATCH (t:Twin {id: $twin_id})
CREATE (r:Ranking)
SET r = $props, r.twin_id = $twin_id, r.patient_id = t.patient_id, r.created_at = datetime(),
  r.status = 'building'
CREATE (t)-[:HAS_RANKING]->(r)
RETURN r.id AS id
