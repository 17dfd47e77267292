// Create the cell types of a multicellular twin and link each to the proteins it changes.
// Parameters: $twin_id, $patient_id, $rows (list<map>: name, genes (list<string>)). Returns: n.
MATCH (t:Twin {id: $twin_id})
UNWIND $rows AS row
CREATE (c:CellType {id: $twin_id + '/' + row.name, name: row.name, twin_id: $twin_id,
                    patient_id: $patient_id, n_genes: size(row.genes)})
CREATE (t)-[:HAS_CELL_TYPE]->(c)
WITH c, row
UNWIND row.genes AS gid
MATCH (g:Protein {id: gid})
CREATE (c)-[:EXPRESSES_CHANGE]->(g)
RETURN count(DISTINCT c) AS n
