// Create (:Pathway {name})-[:FOOTPRINT {weight}]->(:Protein) edges (FootprintRow, PROGENy), one per
// (pathway, gene, source); the Pathway node's id is its name.
// Parameters: $rows (list<map>: pathway, entrez, symbol, weight, source, source_version). Returns: n.
UNWIND $rows AS row
MERGE (w:Pathway {id: row.pathway})
  ON CREATE SET w.name = row.pathway, w.sources = [row.source], w.source_version = row.source_version
MERGE (g:Protein {id: row.entrez})
  ON CREATE SET g.symbol = row.symbol, g.sources = [row.source], g.source_version = row.source_version
MERGE (w)-[r:FOOTPRINT {source: row.source}]->(g)
SET r.weight = row.weight, r.sources = [row.source], r.source_version = row.source_version
RETURN count(*) AS n
