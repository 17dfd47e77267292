// Candidate drugs with their targets from one drug–target source (for screening).
// Parameters: $source (string, Dataset id), $categories (list<string> or null: DrugBank target categories
// to keep), $approved_only (bool). Returns: drug_id, name, groups, targets (list), directions (list),
// symbols (list, aligned with targets), known_actions (list: DrugBank known_action yes/no/unknown or null).
MATCH (d:Drug)-[r:TARGETS {source: $source}]->(p:Protein)
WHERE ($categories IS NULL OR r.category IS NULL OR r.category IN $categories)
  AND (NOT $approved_only OR 'approved' IN coalesce(d.groups, []))
WITH d, p, r ORDER BY p.id
RETURN d.id AS drug_id, d.name AS name, d.groups AS groups, collect(p.id) AS targets,
       collect(r.direction) AS directions, collect(coalesce(p.symbol, '')) AS symbols,
       collect(coalesce(r.known_action, '')) AS known_actions
ORDER BY drug_id
