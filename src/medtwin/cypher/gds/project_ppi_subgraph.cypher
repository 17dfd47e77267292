// Cypher projection of the PPI among a set of proteins (undirected, each pair once).
// Parameters: $graph_name (string), $ids (list<string>: Protein ids).
// Returns: the gds.graph.project aggregation result (graphName, nodeCount, relationshipCount).
MATCH (a:Protein) WHERE a.id IN $ids
OPTIONAL MATCH (a)-[:INTERACTS_WITH]-(b:Protein)
  WHERE b.id IN $ids AND elementId(a) < elementId(b)
RETURN gds.graph.project($graph_name, a, b, {}, {undirectedRelationshipTypes: ['*']})
