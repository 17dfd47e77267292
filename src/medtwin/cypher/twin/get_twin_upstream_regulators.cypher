// The twin's stored upstream regulators, most central first.
// Parameters: $twin_id. Returns: id, symbol, rank, centrality, community, community_size,
// network_size, activity, q, driver, driver_call, engine, network, louvain_seed, q_max, restart
// (community_size, network_size and driver_call are null on twins built before stop 46).
MATCH (:Twin {id: $twin_id})-[u:UPSTREAM_REGULATOR]->(p:Protein)
RETURN p.id AS id, coalesce(p.symbol, p.id) AS symbol, u.rank AS rank,
       u.centrality AS centrality, u.community AS community,
       u.community_size AS community_size, u.network_size AS network_size,
       u.activity AS activity, u.q AS q,
       u.driver AS driver, u.driver_call AS driver_call, u.engine AS engine, u.network AS network,
       u.louvain_seed AS louvain_seed, u.q_max AS q_max, u.restart AS restart
ORDER BY u.rank
