// The edges of a shared regulatory projection, each undirected pair once, as GDS node ids (read
// once per process when a twin's PageRank is evaluated in process on the projection's own graph).
// Parameters: $graph_name. Returns: source (list<int>), target (list<int>).
CALL gds.graph.relationships.stream($graph_name) YIELD sourceNodeId, targetNodeId
WITH sourceNodeId, targetNodeId WHERE sourceNodeId < targetNodeId
RETURN collect(sourceNodeId) AS source, collect(targetNodeId) AS target
