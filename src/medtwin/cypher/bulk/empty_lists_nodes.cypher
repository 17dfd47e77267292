// After a bulk import: set the empty list properties of the nodes with label $label that name them
// in `_bulk_empty` (neo4j-admin import writes no property for an empty array; the MERGE path
// stores []), then remove that column.
// Parameters: $label (a node label). Returns: n.
MATCH (n:$($label))
WHERE n._bulk_empty IS NOT NULL
FOREACH (key IN n._bulk_empty | SET n[key] = [])
REMOVE n._bulk_empty
RETURN count(*) AS n
