// After a bulk import: set the empty list properties of the relationships of type $type that name
// them in `_bulk_empty` (neo4j-admin import writes no property for an empty array; the MERGE path
// stores []), then remove that column. Neo4j 5.26 plans the dynamic type as a scan of every
// relationship: types with list properties have their own statement (bulk/empty_lists_<type>).
// Parameters: $type (a relationship type). Returns: n.
MATCH ()-[r:$($type)]->()
WHERE r._bulk_empty IS NOT NULL
FOREACH (key IN r._bulk_empty | SET r[key] = [])
REMOVE r._bulk_empty
RETURN count(*) AS n
