// The twin's activity per cell type or tissue: (:Twin)-[:ACTIVITY {score, p, q, method, n_targets,
// context, cell_type, tissue}]->(:Protein|:Pathway). `context` is 'cell_type' or 'tissue' (the
// patient-level edges have none); a cell type's edge carries its tissue when the cells came from
// one. A row whose node is not in the reference graph is skipped.
// Parameters: $twin_id, $rows (list<map>: kind ('tf' | 'pathway'), id, score, p, q, method,
// n_targets, context, cell_type, tissue). Returns: n (edges created).
MATCH (t:Twin {id: $twin_id})
CALL (t) {
  UNWIND $rows AS row
  WITH row WHERE row.kind = 'tf'
  MATCH (p:Protein {id: row.id})
  CREATE (t)-[:ACTIVITY {score: row.score, p: row.p, q: row.q, method: row.method,
                         n_targets: row.n_targets, context: row.context,
                         cell_type: row.cell_type, tissue: row.tissue}]->(p)
  RETURN count(*) AS a
}
CALL (t) {
  UNWIND $rows AS row
  WITH row WHERE row.kind = 'pathway'
  MATCH (w:Pathway {id: row.id})
  CREATE (t)-[:ACTIVITY {score: row.score, p: row.p, q: row.q, method: row.method,
                         n_targets: row.n_targets, context: row.context,
                         cell_type: row.cell_type, tissue: row.tissue}]->(w)
  RETURN count(*) AS b
}
RETURN a + b AS n
