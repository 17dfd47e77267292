// Create PPI edges (InteractionRow), one INTERACTS_WITH per unordered pair stored a -> b with a < b;
// endpoints missing from gene_info are created with this source's provenance.
// Parameters: $rows (list<map>: a, b, evidence, source, source_version). Returns: n.
UNWIND $rows AS row
MERGE (a:Protein {id: row.a})
  ON CREATE SET a.sources = [row.source], a.source_version = row.source_version
MERGE (b:Protein {id: row.b})
  ON CREATE SET b.sources = [row.source], b.source_version = row.source_version
MERGE (a)-[r:INTERACTS_WITH]->(b)
SET r.evidence = row.evidence, r.source = row.source, r.sources = [row.source],
    r.source_version = row.source_version
RETURN count(*) AS n
