// Nodes that take part in each reference layer (e.g. proteins with at least one PPI edge).
// Parameters: none. Returns: interactome_proteins, targeted_proteins, drugs_with_targets, disease_genes.
CALL () { MATCH (p:Protein) WHERE EXISTS { (p)-[:INTERACTS_WITH]-() } RETURN count(p) AS interactome_proteins }
CALL () { MATCH (p:Protein) WHERE EXISTS { (p)<-[:TARGETS]-() } RETURN count(p) AS targeted_proteins }
CALL () { MATCH (d:Drug) WHERE EXISTS { (d)-[:TARGETS]->() } RETURN count(d) AS drugs_with_targets }
CALL () { MATCH (p:Protein) WHERE EXISTS { (p)<-[:ASSOCIATED_WITH]-() } RETURN count(p) AS disease_genes }
RETURN interactome_proteins, targeted_proteins, drugs_with_targets, disease_genes
