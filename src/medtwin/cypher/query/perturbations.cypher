// The drug perturbation layer (PERTURBS, LINCS L1000 consensus z) as parallel lists (one record).
// Parameters: none. Returns: drug, gene, z (lists; row i is drug[i] -> gene[i] with z[i]).
MATCH (d:Drug)-[p:PERTURBS]->(g:Protein)
RETURN collect(d.id) AS drug, collect(g.id) AS gene, collect(p.z) AS z
