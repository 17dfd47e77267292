// The twin's upstream regulators: (:Twin)-[:UPSTREAM_REGULATOR {rank, centrality, community,
// community_size, network_size, activity, q, driver, driver_call, engine, network, louvain_seed,
// q_max, restart}]->(:Protein), replacing any stored before (community_size / network_size: nodes
// of the Louvain community and of the network it partitions; driver_call: the category or
// consequence behind the driver weight; network: the GDS projection's name, or the in-process
// network's checksum; louvain_seed: networkx's seed, none for GDS, which is deterministic at
// concurrency 1).
// Parameters: $twin_id, $rows (list<map>: id, rank, centrality, community, community_size,
// network_size, activity, q, driver, driver_call, engine, network, louvain_seed, q_max,
// restart). Returns: n (edges created).
MATCH (t:Twin {id: $twin_id})
CALL (t) {
  MATCH (t)-[old:UPSTREAM_REGULATOR]->()
  DELETE old
}
CALL (t) {
  UNWIND $rows AS row
  MATCH (p:Protein {id: row.id})
  CREATE (t)-[:UPSTREAM_REGULATOR {rank: row.rank, centrality: row.centrality,
                                   community: row.community, community_size: row.community_size,
                                   network_size: row.network_size, activity: row.activity, q: row.q,
                                   driver: row.driver, driver_call: row.driver_call,
                                   engine: row.engine, network: row.network,
                                   louvain_seed: row.louvain_seed, q_max: row.q_max,
                                   restart: row.restart}]->(p)
  RETURN count(*) AS n
}
RETURN n
