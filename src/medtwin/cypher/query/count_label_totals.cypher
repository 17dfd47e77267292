// Node count per label (a node with several sources counts once).
// Parameters: none. Returns: label, n.
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS n
ORDER BY label
