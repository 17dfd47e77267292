// Store a twin's phenotype module: (:Twin)-[:HAS_PHENOTYPE_MODULE]->(:PhenotypeModule) with
// -[:IN_PHENOTYPE_MODULE {role, weight}]-> its Symptom/Phenotype terms and -[:LINKS_GENE {via}]-> the phenotype
// genes in the twin's module. The PhenotypeModule node is patient-specific (patient_id, twin_id).
// Parameters: $twin_id, $patient_id, $props (map), $terms (list<map>: id, role, weight),
// $genes (list<map>: entrez, via (list<string>)). Returns: id.
MATCH (t:Twin {id: $twin_id})
CREATE (m:PhenotypeModule {id: $twin_id + '/phenotype-module'})
SET m += $props, m.twin_id = $twin_id, m.patient_id = $patient_id
CREATE (t)-[:HAS_PHENOTYPE_MODULE]->(m)
WITH m
CALL (m) {
  UNWIND $terms AS row
  OPTIONAL MATCH (ph:Phenotype {id: row.id})
  OPTIONAL MATCH (sy:Symptom {id: row.id})
  WITH m, row, coalesce(ph, sy) AS s
  WHERE s IS NOT NULL
  CREATE (m)-[:IN_PHENOTYPE_MODULE {role: row.role, weight: row.weight}]->(s)
}
CALL (m) {
  UNWIND $genes AS row
  MATCH (g:Protein {id: row.entrez})
  CREATE (m)-[:LINKS_GENE {via: row.via}]->(g)
}
RETURN m.id AS id
