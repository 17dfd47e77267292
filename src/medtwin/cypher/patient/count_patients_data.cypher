// Patient-specific nodes left for several patients (0 after a batched delete), read label by label
// through the patient_id indexes per id, as patient/count_patient_data reads one patient (the same
// labels: tests/unit/test_patient_deletion_labels.py). One read after a `patient delete P1 P2 …`
// instead of one per patient.
// Parameters: $patient_ids (list<string>). Returns: patient_id, nodes (a row per id with some left).
UNWIND $patient_ids AS patient_id
CALL (patient_id) {
  MATCH (n:Patient {id: patient_id}) RETURN n
  UNION ALL
  MATCH (n:PatientInput {patient_id: patient_id}) RETURN n
  UNION ALL
  MATCH (n:Twin {patient_id: patient_id}) RETURN n
  UNION ALL
  MATCH (n:Tissue {patient_id: patient_id}) RETURN n
  UNION ALL
  MATCH (n:CellType {patient_id: patient_id}) RETURN n
  UNION ALL
  MATCH (n:PhenotypeModule {patient_id: patient_id}) RETURN n
  UNION ALL
  MATCH (n:Ranking {patient_id: patient_id}) RETURN n
  UNION ALL
  MATCH (n:CustomDrug {patient_id: patient_id}) RETURN n
}
WITH patient_id, n WHERE NOT n:AuditEvent
RETURN patient_id, count(DISTINCT n) AS nodes
