// Create the patient if new and merge its metadata (JSON text: patient data never sits on reference nodes).
// Parameters: $id (string), $metadata_json (string). Returns: id.
MERGE (p:Patient {id: $id})
  ON CREATE SET p.created_at = datetime(), p.patient_id = $id
SET p.metadata_json = $metadata_json, p.updated_at = datetime()
RETURN p.id AS id
