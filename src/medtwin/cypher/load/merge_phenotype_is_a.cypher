// Create HPO IS_A edges child -> parent (PhenotypeIsARow).
// Parameters: $rows (list<map>: child, parent, source, source_version). Returns: n.
UNWIND $rows AS row
MATCH (c:Phenotype {id: row.child})
MATCH (p:Phenotype {id: row.parent})
MERGE (c)-[r:IS_A]->(p)
SET r.sources = [row.source], r.source_version = row.source_version
RETURN count(*) AS n
