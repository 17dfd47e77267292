// Patients most similar to one patient (either direction of SIMILAR_TO), best first.
// Parameters: $id (string), $limit (int). Returns: id, score, method, endotype, metadata_json.
MATCH (:Patient {id: $id})-[s:SIMILAR_TO]-(o:Patient)
RETURN o.id AS id, s.score AS score, s.method AS method, o.endotype AS endotype,
       o.metadata_json AS metadata_json
ORDER BY score DESC, id
LIMIT $limit
