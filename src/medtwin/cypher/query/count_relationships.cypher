// Relationship counts per type and per source.
// Parameters: none. Returns: type, source, n.
MATCH ()-[r]->()
UNWIND CASE WHEN size(coalesce(r.sources, [])) = 0 THEN [null] ELSE r.sources END AS source
RETURN type(r) AS type, source, count(*) AS n
ORDER BY type, source
