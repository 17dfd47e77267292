// Personalised PageRank restarting at one protein, written into the shared regulatory projection
// as node property $property (a column of the PageRank matrix, reused by every later twin).
// Parameters: $graph_name, $id (Entrez id of the source protein), $property (string),
// $damping (float), $tolerance (float), $max_iterations (int).
// Returns: iterations (int), property (string).
// logProgress false: GDS would write each run's progress lines to neo4j.log (~11 % of a
// column's time here, and most of the log's volume).
MATCH (p:Protein {id: $id})
CALL gds.pageRank.mutate($graph_name, {
  sourceNodes: [p], mutateProperty: $property, dampingFactor: $damping, tolerance: $tolerance,
  maxIterations: $max_iterations, concurrency: 1, logProgress: false
})
YIELD ranIterations
RETURN ranIterations AS iterations, $property AS property
