// Benchmark only (make bench-cohort): delete the synthetic patients of bench/clone_patients (and
// any patient whose id starts with $prefix) with every node of theirs, found as patient/delete_patient
// finds them (label by label through the patient_id indexes: the same labels,
// tests/unit/test_patient_deletion_labels.py), so a real patient's tissues, phenotype modules and
// custom drugs go too (before: only twins, rankings, cell types and inputs reached by relationships).
// 100 patients per transaction (run in an auto-commit transaction): each patient goes whole in one of
// them; a run killed between two leaves whole patients, and a rerun deletes what is left.
// Parameters: $prefix (string). Returns: nothing.
MATCH (p:Patient) WHERE p.id STARTS WITH $prefix
CALL (p) {
  CALL (p) {
    MATCH (n:Patient {id: p.id}) RETURN n
    UNION ALL
    MATCH (n:PatientInput {patient_id: p.id}) RETURN n
    UNION ALL
    MATCH (n:Twin {patient_id: p.id}) RETURN n
    UNION ALL
    MATCH (n:Tissue {patient_id: p.id}) RETURN n
    UNION ALL
    MATCH (n:CellType {patient_id: p.id}) RETURN n
    UNION ALL
    MATCH (n:PhenotypeModule {patient_id: p.id}) RETURN n
    UNION ALL
    MATCH (n:Ranking {patient_id: p.id}) RETURN n
    UNION ALL
    MATCH (n:CustomDrug {patient_id: p.id}) RETURN n
  }
  WITH n WHERE NOT n:AuditEvent
  // collected first: the deletes then wait for every lookup once, not behind each of them
  WITH collect(DISTINCT n) AS nodes
  FOREACH (n IN nodes | DETACH DELETE n)
} IN TRANSACTIONS OF 100 ROWS
