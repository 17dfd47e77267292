// Cypher projection of the regulatory + PPI network shared by every twin's upstream-regulator
// ranking: every protein with an INTERACTS_WITH or REGULATES edge to another protein, each
// unordered pair once (a PPI edge and a regulon edge between the same two proteins are one edge),
// undirected, unweighted; self-loops dropped.
// Parameters: $graph_name. Returns: the gds.graph.project aggregation result.
MATCH (a:Protein)-[:INTERACTS_WITH|REGULATES]-(b:Protein)
  WHERE elementId(a) < elementId(b)
WITH DISTINCT a, b
RETURN gds.graph.project($graph_name, a, b, {}, {undirectedRelationshipTypes: ['*']})
