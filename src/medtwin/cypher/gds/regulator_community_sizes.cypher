// Size of every Louvain community of a shared regulatory projection (nodes per 'community'), so
// that an upstream regulator's group is read with its size (a community of a quarter of the
// network is no finding). Parameters: $graph_name. Returns: community, size.
CALL gds.graph.nodeProperty.stream($graph_name, 'community') YIELD propertyValue
RETURN toInteger(propertyValue) AS community, count(*) AS size
