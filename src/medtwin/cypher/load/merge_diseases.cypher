// Create or update Disease nodes (DiseaseRow).
// Parameters: $rows (list<map>: id, name, mesh_id, source, source_version). Returns: n.
UNWIND $rows AS row
MERGE (d:Disease {id: row.id})
  ON CREATE SET d.source_version = row.source_version
SET d.name = coalesce(d.name, row.name), d.mesh_id = coalesce(d.mesh_id, row.mesh_id),
    d.sources = coalesce(d.sources, []) + CASE WHEN row.source IN coalesce(d.sources, []) THEN [] ELSE [row.source] END
RETURN count(*) AS n
