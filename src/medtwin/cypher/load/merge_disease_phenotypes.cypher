// Create disease -> phenotype HAS_PHENOTYPE edges (DiseasePhenotypeRow, HPO disease annotations).
// Parameters: $rows (list<map>: disease_id, phenotype_id, source, source_version). Returns: n.
UNWIND $rows AS row
MATCH (d:Disease {id: row.disease_id})
MATCH (t:Phenotype {id: row.phenotype_id})
MERGE (d)-[r:HAS_PHENOTYPE]->(t)
SET r.sources = [row.source], r.source_version = row.source_version
RETURN count(*) AS n
