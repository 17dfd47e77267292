// Whether a patient exists (cheap; the audit log asks it for refused requests).
// Parameters: $id (string). Returns: exists (boolean).
RETURN EXISTS { MATCH (:Patient {id: $id}) } AS exists
