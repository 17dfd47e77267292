// Create protein -> phenotype HAS_PHENOTYPE edges (GenePhenotypeRow, HPO gene annotations).
// Parameters: $rows (list<map>: entrez, phenotype_id, source, source_version). Returns: n.
UNWIND $rows AS row
MATCH (t:Phenotype {id: row.phenotype_id})
MERGE (p:Protein {id: row.entrez})
  ON CREATE SET p.sources = [row.source], p.source_version = row.source_version
MERGE (p)-[r:HAS_PHENOTYPE]->(t)
SET r.sources = [row.source], r.source_version = row.source_version
RETURN count(*) AS n
