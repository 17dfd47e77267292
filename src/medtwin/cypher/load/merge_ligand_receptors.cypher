// Create ligand -> receptor BINDS edges (LigandReceptorRow), one per (ligand, receptor, source).
// Parameters: $rows (list<map>: ligand_entrez, receptor_entrez, ligand_symbol, receptor_symbol, resource,
// source, source_version). Returns: n.
UNWIND $rows AS row
MERGE (l:Protein {id: row.ligand_entrez})
  ON CREATE SET l.symbol = row.ligand_symbol, l.sources = [row.source], l.source_version = row.source_version
MERGE (r:Protein {id: row.receptor_entrez})
  ON CREATE SET r.symbol = row.receptor_symbol, r.sources = [row.source], r.source_version = row.source_version
MERGE (l)-[b:BINDS {source: row.source}]->(r)
SET b.resource = row.resource, b.sources = [row.source], b.source_version = row.source_version
RETURN count(*) AS n
