// The seeds of an upstream-regulator ranking that are nodes of the shared regulatory projection
// (a protein with an INTERACTS_WITH or REGULATES edge to another protein), with their internal
// node id and Louvain community.
// Parameters: $graph_name, $ids (list<string>: Entrez ids). Returns: id, node_id, community.
MATCH (p:Protein) WHERE p.id IN $ids
  AND EXISTS { (p)-[:INTERACTS_WITH|REGULATES]-(o:Protein) WHERE o <> p }
RETURN p.id AS id, id(p) AS node_id,
       toInteger(gds.util.nodeProperty($graph_name, p, 'community')) AS community
