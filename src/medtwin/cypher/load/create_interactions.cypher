// Fast path of merge_interactions for a dataset never loaded before (no INTERACTS_WITH exists yet):
// CREATE instead of MERGE for the edge. Reruns and resumed loads use merge_interactions.
// Parameters: $rows (list<map>: a, b, evidence, source, source_version). Returns: n.
UNWIND $rows AS row
MERGE (a:Protein {id: row.a})
  ON CREATE SET a.sources = [row.source], a.source_version = row.source_version
MERGE (b:Protein {id: row.b})
  ON CREATE SET b.sources = [row.source], b.source_version = row.source_version
CREATE (a)-[:INTERACTS_WITH {evidence: row.evidence, source: row.source, sources: [row.source],
                             source_version: row.source_version}]->(b)
RETURN count(*) AS n
