// Cypher projection of a twin: its proteins and the PPI edges among them (undirected, each pair once).
// Parameters: $graph_name, $twin_id. Returns: the gds.graph.project aggregation result.
MATCH (t:Twin {id: $twin_id})-[:INCLUDES]->(a:Protein)
OPTIONAL MATCH (a)-[:INTERACTS_WITH]-(b:Protein)<-[:INCLUDES]-(t)
  WHERE elementId(a) < elementId(b)
RETURN gds.graph.project($graph_name, a, b, {}, {undirectedRelationshipTypes: ['*']})
