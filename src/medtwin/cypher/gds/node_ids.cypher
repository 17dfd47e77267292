// Map GDS node ids (internal ids) back to medtwin ids and labels.
// Parameters: $node_ids (list<int>). Returns: node_id (int), id (string), labels (list<string>).
UNWIND $node_ids AS node_id
MATCH (n) WHERE id(n) = node_id
RETURN node_id, n.id AS id, labels(n) AS labels
