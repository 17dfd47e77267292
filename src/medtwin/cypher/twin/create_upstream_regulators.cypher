// The twin's upstream regulators: (:Twin)-[:UPSTREAM_REGULATOR {rank, centrality, community,
// activity, q, driver, engine, q_max, restart}]->(:Protein), replacing any stored before.
// Parameters: $twin_id, $rows (list<map>: id, rank, centrality, community, activity, q, driver,
// engine, q_max, restart). Returns: n (edges created).
MATCH (t:Twin {id: $twin_id})
CALL (t) {
  MATCH (t)-[old:UPSTREAM_REGULATOR]->()
  DELETE old
}
CALL (t) {
  UNWIND $rows AS row
  MATCH (p:Protein {id: row.id})
  CREATE (t)-[:UPSTREAM_REGULATOR {rank: row.rank, centrality: row.centrality,
                                   community: row.community, activity: row.activity, q: row.q,
                                   driver: row.driver, engine: row.engine, q_max: row.q_max,
                                   restart: row.restart}]->(p)
  RETURN count(*) AS n
}
RETURN n
