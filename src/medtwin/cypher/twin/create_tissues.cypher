// Create the tissue layer of a multi-tissue twin: (:Twin)-[:HAS_TISSUE]->(:Tissue)-[:HAS_CELL_TYPE]->
// (:CellType)-[:EXPRESSES_CHANGE]->(:Protein). Tissue, cell type nodes are patient-specific (patient_id).
// Parameters: $twin_id, $patient_id, $rows (list<map>: tissue, name, genes (list<string>)). Returns: n (cell types).
MATCH (t:Twin {id: $twin_id})
UNWIND $rows AS row
MERGE (ts:Tissue {id: $twin_id + '/tissue:' + row.tissue})
  ON CREATE SET ts.name = row.tissue, ts.twin_id = $twin_id, ts.patient_id = $patient_id
MERGE (t)-[:HAS_TISSUE]->(ts)
CREATE (c:CellType {id: $twin_id + '/' + row.tissue + '/' + row.name, name: row.name,
                    tissue: row.tissue, twin_id: $twin_id, patient_id: $patient_id,
                    n_genes: size(row.genes)})
CREATE (ts)-[:HAS_CELL_TYPE]->(c)
WITH c, row
CALL (c, row) {
  UNWIND row.genes AS gid
  MATCH (g:Protein {id: gid})
  CREATE (c)-[:EXPRESSES_CHANGE]->(g)
}
RETURN count(DISTINCT c) AS n
