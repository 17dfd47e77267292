// Create disease -> protein ASSOCIATED_WITH edges (DiseaseGeneRow), one per (disease, gene, source).
// Parameters: $rows (list<map>: disease_id, entrez, evidence, source, source_version). Returns: n.
UNWIND $rows AS row
MATCH (d:Disease {id: row.disease_id})
MERGE (p:Protein {id: row.entrez})
  ON CREATE SET p.sources = [row.source], p.source_version = row.source_version
MERGE (d)-[r:ASSOCIATED_WITH {source: row.source}]->(p)
SET r.evidence = row.evidence, r.sources = [row.source], r.source_version = row.source_version
RETURN count(*) AS n
