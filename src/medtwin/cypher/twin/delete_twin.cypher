// Delete one twin version with its cell types and rankings (used to roll back a failed build).
// Parameters: $twin_id. Returns: nodes (deleted).
MATCH (t:Twin {id: $twin_id})
OPTIONAL MATCH (t)-[:HAS_CELL_TYPE|HAS_RANKING]->(x)
WITH t, collect(x) AS children
FOREACH (c IN children | DETACH DELETE c)
DETACH DELETE t
RETURN size(children) + 1 AS nodes
