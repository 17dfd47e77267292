// Create (:Drug)-[:PERTURBS {source, z}]->(:Protein) edges (PerturbationRow, LINCS L1000 consensus z
// of a landmark gene), one per (drug, gene, source). The edge names its Dataset node (`source`),
// which carries the version, URL and sha256: the ~1.1 M edges do not repeat them (as `sources` /
// `source_version` they were 290 MB of the 708 MB store). A reload removes copies an older load left.
// Parameters: $rows (list<map>: drug_id, entrez, z, source, source_version). Returns: n.
UNWIND $rows AS row
MERGE (d:Drug {id: row.drug_id})
  ON CREATE SET d.name = row.drug_id, d.sources = [row.source], d.source_version = row.source_version
MERGE (g:Protein {id: row.entrez})
  ON CREATE SET g.sources = [row.source], g.source_version = row.source_version
MERGE (d)-[r:PERTURBS {source: row.source}]->(g)
SET r.z = row.z
REMOVE r.sources, r.source_version
RETURN count(*) AS n
