// Create TF -> target REGULATES edges (RegulationRow, DoRothEA), one per (TF, target, source).
// Parameters: $rows (list<map>: tf_entrez, target_entrez, tf_symbol, target_symbol, confidence, mor,
// source, source_version). Returns: n.
UNWIND $rows AS row
MERGE (t:Protein {id: row.tf_entrez})
  ON CREATE SET t.symbol = row.tf_symbol, t.sources = [row.source], t.source_version = row.source_version
MERGE (g:Protein {id: row.target_entrez})
  ON CREATE SET g.symbol = row.target_symbol, g.sources = [row.source], g.source_version = row.source_version
MERGE (t)-[r:REGULATES {source: row.source}]->(g)
SET r.mor = row.mor, r.confidence = row.confidence, r.sources = [row.source],
    r.source_version = row.source_version
RETURN count(*) AS n
