// Node totals per label and relationship totals per type from the database's count store: exact
// and O(1), no scan (db.stats.retrieve, section 'GRAPH COUNTS'). Labels and types with no node or
// relationship left are included with n = 0.
// Parameters: none. Returns: nodes (list<map {label, n}>), relationships (list<map {type, n}>).
CALL db.stats.retrieve('GRAPH COUNTS') YIELD data
RETURN [x IN data.nodes WHERE x.label IS NOT NULL | {label: x.label, n: x.count}] AS nodes,
       [x IN data.relationships
        WHERE x.relationshipType IS NOT NULL AND x.startLabel IS NULL AND x.endLabel IS NULL
        | {type: x.relationshipType, n: x.count}] AS relationships
