// Delete one twin version with its cell types, tissues (and their cell types), phenotype module and
// rankings (used to roll back a failed build).
// Parameters: $twin_id. Returns: nodes (deleted).
MATCH (t:Twin {id: $twin_id})
OPTIONAL MATCH (t)-[:HAS_CELL_TYPE|HAS_RANKING|HAS_TISSUE|HAS_PHENOTYPE_MODULE]->(x)
OPTIONAL MATCH (t)-[:HAS_TISSUE]->(:Tissue)-[:HAS_CELL_TYPE]->(y:CellType)
WITH t, collect(DISTINCT x) + collect(DISTINCT y) AS children
FOREACH (c IN children | DETACH DELETE c)
DETACH DELETE t
RETURN size(children) + 1 AS nodes
