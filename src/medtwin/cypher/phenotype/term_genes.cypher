// Genes annotated to each term: HPO gene-phenotype annotations (Protein-[:HAS_PHENOTYPE]->Phenotype);
// for an HSDN symptom, the genes of the diseases showing it (Symptom<-[:HAS_SYMPTOM]-Disease-[:ASSOCIATED_WITH]->Protein).
// Parameters: $ids (list<string>). Returns: id, genes (list<string> Entrez ids).
UNWIND $ids AS sid
OPTIONAL MATCH (ph:Phenotype {id: sid})
OPTIONAL MATCH (sy:Symptom {id: sid})
WITH sid, ph, sy
CALL (ph) {
  OPTIONAL MATCH (ph)<-[:HAS_PHENOTYPE]-(g:Protein)
  RETURN collect(DISTINCT g.id) AS hpo
}
CALL (sy) {
  OPTIONAL MATCH (sy)<-[:HAS_SYMPTOM]-(:Disease)-[:ASSOCIATED_WITH]->(g:Protein)
  RETURN collect(DISTINCT g.id) AS hsdn
}
RETURN sid AS id, hpo + [g IN hsdn WHERE NOT g IN hpo] AS genes
