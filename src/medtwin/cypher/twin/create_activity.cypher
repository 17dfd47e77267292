// The twin's activity layer: (:Twin)-[:ACTIVITY {score, p, q, method}]->(:Protein) for TFs and
// ->(:Pathway) for pathways (footprint activity of the patient's gene statistics). A row whose
// node is not in the reference graph is skipped.
// Parameters: $twin_id, $tfs (list<map>: id, score, p, q, method, n_targets), $pathways (same).
// Returns: n (edges created).
MATCH (t:Twin {id: $twin_id})
CALL (t) {
  UNWIND $tfs AS row
  MATCH (p:Protein {id: row.id})
  CREATE (t)-[:ACTIVITY {score: row.score, p: row.p, q: row.q, method: row.method,
                         n_targets: row.n_targets}]->(p)
  RETURN count(*) AS a
}
CALL (t) {
  UNWIND $pathways AS row
  MATCH (w:Pathway {id: row.id})
  CREATE (t)-[:ACTIVITY {score: row.score, p: row.p, q: row.q, method: row.method,
                         n_targets: row.n_targets}]->(w)
  RETURN count(*) AS b
}
RETURN a + b AS n
