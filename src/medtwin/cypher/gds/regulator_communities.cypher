// Louvain communities of the shared regulatory network, written into the in-memory graph as
// node property 'community' (once per projection; concurrency 1 keeps it deterministic).
// Parameters: $graph_name. Returns: community_count, modularity.
CALL gds.louvain.mutate($graph_name, {
  mutateProperty: 'community', concurrency: 1, logProgress: false  // no progress lines in neo4j.log
})
YIELD communityCount, modularity
RETURN communityCount AS community_count, modularity
