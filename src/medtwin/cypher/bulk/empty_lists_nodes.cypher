// After a bulk import: set the empty list properties of every node that names them in `_bulk_empty`
// (neo4j-admin import writes no property for an empty array; the MERGE path stores []), then remove
// that column. One scan of all nodes for every label (a dynamic label would scan them per label).
// Parameters: none. Returns: n.
MATCH (n)
WHERE n._bulk_empty IS NOT NULL
FOREACH (key IN n._bulk_empty | SET n[key] = [])
REMOVE n._bulk_empty
RETURN count(*) AS n
