// After a bulk import: bulk/empty_lists_relationships for type TARGETS only, which scans just the
// relationships of that type (Neo4j 5.26 plans a dynamic type as a scan of every relationship).
// Parameters: none. Returns: n.
MATCH ()-[r:TARGETS]->()
WHERE r._bulk_empty IS NOT NULL
FOREACH (key IN r._bulk_empty | SET r[key] = [])
REMOVE r._bulk_empty
RETURN count(*) AS n
