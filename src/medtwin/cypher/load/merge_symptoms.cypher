// Create or update Symptom nodes (SymptomRow, MeSH descriptor ids).
// Parameters: $rows (list<map>: id, name, source, source_version). Returns: n.
UNWIND $rows AS row
MERGE (s:Symptom {id: row.id})
SET s.name = row.name, s.source_version = row.source_version,
    s.sources = coalesce(s.sources, []) + CASE WHEN row.source IN coalesce(s.sources, []) THEN [] ELSE [row.source] END
RETURN count(*) AS n
