// Link cell types of a twin's tissue layer through ligand–receptor pairs (ligand up in the sender,
// receptor changed in the receiver), flagging links between different tissues.
// Parameters: $twin_id, $rows (list<map>: source_tissue, source, target_tissue, target, pairs (list<string>
// "ligand>receptor"), cross_tissue (bool)). Returns: n.
UNWIND $rows AS row
MATCH (a:CellType {id: $twin_id + '/' + row.source_tissue + '/' + row.source})
MATCH (b:CellType {id: $twin_id + '/' + row.target_tissue + '/' + row.target})
CREATE (a)-[:SIGNALS_TO {pairs: row.pairs, weight: size(row.pairs), cross_tissue: row.cross_tissue}]->(b)
RETURN count(*) AS n
