// A twin's phenotype module: its summary, terms (presented first, then by co-occurrence weight) and the
// phenotype genes in the twin's module. Parameters: $twin_id. Returns: module (map), terms (list<map>),
// genes (list<map>); no row when the twin has no phenotype module.
MATCH (:Twin {id: $twin_id})-[:HAS_PHENOTYPE_MODULE]->(m:PhenotypeModule)
CALL (m) {
  OPTIONAL MATCH (m)-[r:IN_PHENOTYPE_MODULE]->(s)
  WITH r, s ORDER BY r.role DESC, coalesce(r.weight, 0.0) DESC, s.id
  RETURN collect(CASE WHEN s IS NULL THEN null
                 ELSE {id: s.id, name: s.name, kind: labels(s)[0], role: r.role, weight: r.weight} END) AS terms
}
CALL (m) {
  OPTIONAL MATCH (m)-[l:LINKS_GENE]->(g:Protein)
  WITH l, g ORDER BY g.symbol
  RETURN collect(CASE WHEN g IS NULL THEN null ELSE {entrez: g.id, symbol: g.symbol, via: l.via} END) AS genes
}
RETURN properties(m) AS module, terms, genes
