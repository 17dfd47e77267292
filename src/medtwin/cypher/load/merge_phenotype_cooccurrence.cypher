// Create Phenotype-Phenotype CO_OCCURS_WITH edges (CoOccurrenceRow with label 'Phenotype'), stored a -> b, a < b.
// Parameters: $rows (list<map>: a, b, weight, shared, method, source, source_version). Returns: n.
UNWIND $rows AS row
MATCH (a:Phenotype {id: row.a})
MATCH (b:Phenotype {id: row.b})
MERGE (a)-[r:CO_OCCURS_WITH]->(b)
SET r.weight = row.weight, r.shared = row.shared, r.method = row.method, r.sources = [row.source],
    r.source_version = row.source_version
RETURN count(*) AS n
