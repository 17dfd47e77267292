// Node properties held by a shared regulatory projection (the Louvain community and the cached
// PageRank columns). Parameters: $graph_name. Returns: nodes (map: label -> {property: type}).
CALL gds.graph.list($graph_name) YIELD schemaWithOrientation
RETURN schemaWithOrientation.nodes AS nodes
