// Create or update HPO Phenotype nodes (PhenotypeRow).
// Parameters: $rows (list<map>: id, name, source, source_version). Returns: n.
UNWIND $rows AS row
MERGE (t:Phenotype {id: row.id})
SET t.name = row.name, t.source_version = row.source_version,
    t.sources = coalesce(t.sources, []) + CASE WHEN row.source IN coalesce(t.sources, []) THEN [] ELSE [row.source] END
RETURN count(*) AS n
