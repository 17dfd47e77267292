// Personalised PageRank with a weighted restart vector, by linearity: GDS 2.13 restarts uniformly
// over `sourceNodes`, so one run per seed s (restart at s only) and PR_w(v) = sum_s w_s PR_s(v)
// with sum_s w_s = 1. Only the seeds' own scores are returned.
// Parameters: $graph_name, $seeds (list<map>: node_id int, weight float, weights summing to 1),
// $damping (float), $tolerance (float), $max_iterations (int).
// Returns: node_id (int), score (float; GDS scale, which sums to 1 - damping over the restart).
WITH [s IN $seeds | s.node_id] AS wanted
UNWIND $seeds AS seed
CALL gds.pageRank.stream($graph_name, {
  sourceNodes: [seed.node_id], dampingFactor: $damping, tolerance: $tolerance,
  maxIterations: $max_iterations, concurrency: 1
})
YIELD nodeId, score
WITH seed, nodeId, score, wanted WHERE nodeId IN wanted
RETURN nodeId AS node_id, sum(seed.weight * score) AS score
