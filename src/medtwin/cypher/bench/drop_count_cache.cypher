// Remove describe's kept counts (store/graph_counts.py), so that reads count in full until the next
// load or `refresh_counts` (make bench-describe times both).
// Parameters: none. Returns: n (nodes removed).
MATCH (c:CountCache)
DETACH DELETE c
RETURN count(*) AS n
