// Fast path of merge_disease_phenotypes for a dataset never loaded before: CREATE the edge.
// Parameters: $rows (list<map>: disease_id, phenotype_id, source, source_version). Returns: n.
UNWIND $rows AS row
MATCH (d:Disease {id: row.disease_id})
MATCH (t:Phenotype {id: row.phenotype_id})
CREATE (d)-[:HAS_PHENOTYPE {sources: [row.source], source_version: row.source_version}]->(t)
RETURN count(*) AS n
