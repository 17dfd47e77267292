// Create drug -> protein TARGETS edges (DrugTargetRow), one per (drug, protein, source), with the action.
// Parameters: $rows (list<map>: drug_id, entrez, actions, direction, category, known_action, source,
// source_version). Returns: n.
UNWIND $rows AS row
MERGE (d:Drug {id: row.drug_id})
  ON CREATE SET d.name = row.drug_id, d.sources = [row.source], d.source_version = row.source_version
MERGE (p:Protein {id: row.entrez})
  ON CREATE SET p.sources = [row.source], p.source_version = row.source_version
MERGE (d)-[r:TARGETS {source: row.source}]->(p)
SET r.actions = row.actions, r.direction = row.direction, r.category = row.category,
    r.known_action = row.known_action, r.sources = [row.source], r.source_version = row.source_version
RETURN count(*) AS n
