// Patients most similar to one patient (either direction of SIMILAR_TO), best first.
// Parameters: $id (string), $limit (int). Returns: id, score, method, endotype, endotype_method,
// endotype_deleted (patients of its stratification deleted since; null: none), endotype_refresh,
// endotype_at, metadata_json.
MATCH (:Patient {id: $id})-[s:SIMILAR_TO]-(o:Patient)
RETURN o.id AS id, s.score AS score, s.method AS method, o.endotype AS endotype,
       o.endotype_method AS endotype_method, o.endotype_deleted AS endotype_deleted,
       o.endotype_refresh AS endotype_refresh, o.endotype_at AS endotype_at,
       o.metadata_json AS metadata_json
ORDER BY score DESC, id
LIMIT $limit
