// Patient-specific nodes left for a patient (0 after a delete) and relationships from them.
// Read label by label through the patient_id indexes, as patient/delete_patient finds them (the same
// labels: tests/unit/test_patient_deletion_labels.py), not by reading every node of the database.
// Parameters: $patient_id. Returns: nodes, relationships.
CALL () {
  MATCH (n:Patient {id: $patient_id}) RETURN n
  UNION ALL
  MATCH (n:PatientInput {patient_id: $patient_id}) RETURN n
  UNION ALL
  MATCH (n:Twin {patient_id: $patient_id}) RETURN n
  UNION ALL
  MATCH (n:Tissue {patient_id: $patient_id}) RETURN n
  UNION ALL
  MATCH (n:CellType {patient_id: $patient_id}) RETURN n
  UNION ALL
  MATCH (n:PhenotypeModule {patient_id: $patient_id}) RETURN n
  UNION ALL
  MATCH (n:Ranking {patient_id: $patient_id}) RETURN n
  UNION ALL
  MATCH (n:CustomDrug {patient_id: $patient_id}) RETURN n
}
WITH DISTINCT n WHERE NOT n:AuditEvent
OPTIONAL MATCH (n)-[r]-()
RETURN count(DISTINCT n) AS nodes, count(DISTINCT r) AS relationships
