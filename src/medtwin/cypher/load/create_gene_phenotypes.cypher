// Fast path of merge_gene_phenotypes for a dataset never loaded before: CREATE the edge.
// Parameters: $rows (list<map>: entrez, phenotype_id, source, source_version). Returns: n.
UNWIND $rows AS row
MATCH (t:Phenotype {id: row.phenotype_id})
MERGE (p:Protein {id: row.entrez})
  ON CREATE SET p.sources = [row.source], p.source_version = row.source_version
CREATE (p)-[:HAS_PHENOTYPE {sources: [row.source], source_version: row.source_version}]->(t)
RETURN count(*) AS n
