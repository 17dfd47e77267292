// Link cell types of a twin through ligand–receptor pairs (ligand up in source, receptor changed in target).
// Parameters: $twin_id, $rows (list<map>: source, target, pairs (list<string> "ligand>receptor")). Returns: n.
UNWIND $rows AS row
MATCH (a:CellType {id: $twin_id + '/' + row.source})
MATCH (b:CellType {id: $twin_id + '/' + row.target})
CREATE (a)-[:SIGNALS_TO {pairs: row.pairs, weight: size(row.pairs)}]->(b)
RETURN count(*) AS n
