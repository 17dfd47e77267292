// Relationship counts per type and per source. An edge of a layer that one dataset owns names it in
// `source` only (PERTURBS: see load/merge_perturbations); the others list theirs in `sources`.
// Parameters: none. Returns: type, source, n.
MATCH ()-[r]->()
UNWIND CASE WHEN size(coalesce(r.sources, [])) > 0 THEN r.sources
            WHEN r.source IS NOT NULL THEN [r.source]
            ELSE [null] END AS source
RETURN type(r) AS type, source, count(*) AS n
ORDER BY type, source
