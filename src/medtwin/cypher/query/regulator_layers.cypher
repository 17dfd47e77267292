// The regulon and footprint layers as parallel lists (one record: fast to decode).
// Parameters: none. Returns: tf, target, mor (REGULATES, DoRothEA), pathway, gene, weight (FOOTPRINT,
// PROGENy); lists, edge i is tf[i] -> target[i] with mode of regulation mor[i].
CALL {
  MATCH (t:Protein)-[r:REGULATES]->(g:Protein)
  RETURN collect(t.id) AS tf, collect(g.id) AS target, collect(r.mor) AS mor
}
CALL {
  MATCH (w:Pathway)-[f:FOOTPRINT]->(g:Protein)
  RETURN collect(w.name) AS pathway, collect(g.id) AS gene, collect(f.weight) AS weight
}
RETURN tf, target, mor, pathway, gene, weight
