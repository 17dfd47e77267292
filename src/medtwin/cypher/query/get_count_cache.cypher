// The reference relationships' counts per type and source as the last load left them
// (store/graph_counts.py), with the stamp they are valid for.
// Parameters: none. Returns: stamp (string), table_json (string), or no row.
MATCH (c:CountCache {id: 'reference_relationships'})
RETURN c.stamp AS stamp, c.table_json AS table_json
