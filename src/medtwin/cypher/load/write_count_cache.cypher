// Keep the reference relationships' counts per type and source (store/graph_counts.py) with the
// stamp they are valid for. A coordination node, not graph data: `describe` leaves it out.
// Parameters: $stamp (string), $table_json (string: [[type, source or null, n], ...]). Returns: id.
MERGE (c:CountCache {id: 'reference_relationships'})
SET c.stamp = $stamp, c.table_json = $table_json, c.counted_at = datetime()
RETURN c.id AS id
