// Node counts per label and per source.
// Parameters: none. Returns: label, source, n.
MATCH (n)
UNWIND labels(n) AS label
UNWIND CASE WHEN size(coalesce(n.sources, [])) = 0 THEN [null] ELSE n.sources END AS source
RETURN label, source, count(*) AS n
ORDER BY label, source
