// Ligand–receptor links of a twin's tissue layer, cross-tissue ones first, most pairs first.
// Parameters: $twin_id. Returns: source_tissue, source, target_tissue, target, pairs, cross_tissue.
MATCH (:Twin {id: $twin_id})-[:HAS_TISSUE]->(:Tissue)-[:HAS_CELL_TYPE]->(a:CellType)-[s:SIGNALS_TO]->(b:CellType)
RETURN a.tissue AS source_tissue, a.name AS source, b.tissue AS target_tissue, b.name AS target,
       s.pairs AS pairs, s.cross_tissue AS cross_tissue
ORDER BY cross_tissue DESC, size(s.pairs) DESC, source_tissue, source, target_tissue, target
