// Link a twin to its proteins, carrying the patient's values on the twin's own relationships.
// Parameters: $twin_id, $rows (list<map>: entrez, role, log2fc, padj, layers, cell_types, time_points,
// in_module, rwr, evidence). Returns: n.
MATCH (t:Twin {id: $twin_id})
UNWIND $rows AS row
MATCH (g:Protein {id: row.entrez})
CREATE (t)-[r:INCLUDES]->(g)
SET r.role = row.role, r.log2fc = row.log2fc, r.padj = row.padj, r.layers = row.layers,
    r.cell_types = row.cell_types, r.time_points = row.time_points, r.in_module = row.in_module,
    r.rwr = row.rwr, r.evidence = row.evidence
RETURN count(*) AS n
