// First load of the PERTURBS layer (PerturbationRow): as merge_perturbations, but CREATE the edge
// (the dataset was never loaded, so no edge can exist yet; ~1.1M edges). The edge's provenance is
// its Dataset node, named by `source` (see merge_perturbations).
// Parameters: $rows (list<map>: drug_id, entrez, z, source, source_version). Returns: n.
UNWIND $rows AS row
MERGE (d:Drug {id: row.drug_id})
  ON CREATE SET d.name = row.drug_id, d.sources = [row.source], d.source_version = row.source_version
MERGE (g:Protein {id: row.entrez})
  ON CREATE SET g.sources = [row.source], g.source_version = row.source_version
CREATE (d)-[:PERTURBS {source: row.source, z: row.z}]->(g)
RETURN count(*) AS n
