// Entrez ids of the proteins behind GDS node ids of a shared regulatory projection (a Cypher
// projection keeps the Neo4j node id as the GDS node id).
// Parameters: $node_ids (list<int>). Returns: node_id (list<int>), id (list<string>).
MATCH (p:Protein) WHERE id(p) IN $node_ids
RETURN collect(id(p)) AS node_id, collect(p.id) AS id
