// Candidate drugs with their targets from one drug–target source (for screening).
// Parameters: $source (string, Dataset id), $categories (list<string> or null: DrugBank target categories
// to keep), $approved_only (bool), $direction_fallback (string Dataset id or null: where the source names no
// direction for a (drug, target) pair, the direction — inhibit/activate — the fallback source gives the same
// pair, e.g. DrugCentral's mechanism-of-action "antibody binding" for ipilimumab → CTLA4, which DrugBank lists
// without an action), $drug_ids (list<string> or null: only these drugs, e.g. the page of a ranking shown).
// Returns: drug_id, name, groups, targets (list), directions (list), direction_sources (list: the Dataset id
// whose edge gave each direction — $source, or $direction_fallback where it filled the direction in),
// symbols (list, aligned with targets), known_actions (list: DrugBank known_action yes/no/unknown or null).
// A page's drugs are found through the id's constraint index (`WHERE $drug_ids IS NULL OR d.id IN
// $drug_ids` got none: all ~8,000 Drug nodes were scanned for a page of 10); the every-drug branch
// waits behind its own WITH, so it is not run when $drug_ids is given.
CALL {
  WITH $drug_ids AS page WHERE page IS NULL
  MATCH (d:Drug) RETURN d
  UNION ALL
  MATCH (d:Drug) WHERE d.id IN $drug_ids RETURN d
}
MATCH (d)-[r:TARGETS {source: $source}]->(p:Protein)
WHERE ($categories IS NULL OR r.category IS NULL OR r.category IN $categories)
  AND (NOT $approved_only OR 'approved' IN coalesce(d.groups, []))
WITH d, p, r,
     CASE WHEN $direction_fallback IS NOT NULL AND coalesce(r.direction, 'unknown') = 'unknown'
          THEN COLLECT {
            MATCH (d)-[f:TARGETS {source: $direction_fallback}]->(p)
            WHERE f.direction IN ['inhibit', 'activate']
            RETURN f.direction
          }
          ELSE [] END AS fallback
WITH d, p, r, size(fallback) = 1 AS filled, fallback
WITH d, p, r, CASE WHEN filled THEN fallback[0] ELSE r.direction END AS direction,
     CASE WHEN filled THEN $direction_fallback ELSE $source END AS direction_source
ORDER BY p.id
RETURN d.id AS drug_id, d.name AS name, d.groups AS groups, collect(p.id) AS targets,
       collect(direction) AS directions, collect(direction_source) AS direction_sources,
       collect(coalesce(p.symbol, '')) AS symbols,
       collect(coalesce(r.known_action, '')) AS known_actions
ORDER BY drug_id
