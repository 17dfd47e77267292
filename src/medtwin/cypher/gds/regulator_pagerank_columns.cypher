// Personalised PageRank restarting at each protein of $ids, one GDS call per protein (the same
// call as gds/regulator_pagerank_column), written into the shared regulatory projection as node
// property $prefix + id: several columns in one round trip.
// Parameters: $graph_name, $ids (list<string>: Entrez ids), $prefix (string), $damping (float),
// $tolerance (float), $max_iterations (int). Returns: id (string), iterations (int).
// logProgress false: GDS would write each run's progress lines to neo4j.log (~11 % of a
// column's time here, and most of the log's volume).
UNWIND $ids AS id
MATCH (p:Protein {id: id})
CALL gds.pageRank.mutate($graph_name, {
  sourceNodes: [p], mutateProperty: $prefix + id, dampingFactor: $damping, tolerance: $tolerance,
  maxIterations: $max_iterations, concurrency: 1, logProgress: false
})
YIELD ranIterations
RETURN id, ranIterations AS iterations
