// Link a twin to the patient's symptoms/phenotypes (HPO ids → Phenotype, MeSH ids → Symptom), with how many
// genes annotated to each lie in the twin and in its module (the symptom–molecular link).
// Parameters: $twin_id, $ids (list<string>). Returns: id, linked (bool), genes_in_twin, genes_in_module.
MATCH (t:Twin {id: $twin_id})
UNWIND $ids AS sid
OPTIONAL MATCH (ph:Phenotype {id: sid})
OPTIONAL MATCH (sy:Symptom {id: sid})
WITH t, sid, coalesce(ph, sy) AS s
CALL (t, s) {
  OPTIONAL MATCH (s)<-[:HAS_PHENOTYPE]-(g1:Protein)<-[i1:INCLUDES]-(t)
  WITH collect(DISTINCT i1) AS via_hpo
  OPTIONAL MATCH (s)<-[:HAS_SYMPTOM]-(:Disease)-[:ASSOCIATED_WITH]->(g2:Protein)<-[i2:INCLUDES]-(t)
  WITH via_hpo, collect(DISTINCT i2) AS via_hsdn
  WITH via_hpo + [i IN via_hsdn WHERE NOT i IN via_hpo] AS incl
  RETURN size(incl) AS in_twin, size([i IN incl WHERE i.in_module]) AS in_module
}
FOREACH (_ IN CASE WHEN s IS NULL THEN [] ELSE [1] END |
  CREATE (t)-[:PRESENTS {genes_in_twin: in_twin, genes_in_module: in_module}]->(s))
RETURN sid AS id, s IS NOT NULL AS linked, in_twin AS genes_in_twin, in_module AS genes_in_module
