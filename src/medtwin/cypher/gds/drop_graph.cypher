// Drop one named graph from the GDS catalog if it exists.
// Parameters: $graph_name. Returns: name (string; none when it did not exist).
CALL gds.graph.drop($graph_name, false) YIELD graphName
RETURN graphName AS name
