// Store patient-patient similarities (patient-specific: deleted with either patient).
// Parameters: $method (string), $rows (list<map: a, b (patient ids), score (float)>). Returns: n.
UNWIND $rows AS row
MATCH (a:Patient {id: row.a}), (b:Patient {id: row.b})
CREATE (a)-[s:SIMILAR_TO {score: row.score, method: $method, created_at: datetime()}]->(b)
RETURN count(s) AS n
