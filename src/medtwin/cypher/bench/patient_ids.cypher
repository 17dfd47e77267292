// Benchmark only: the ids of the patients whose id starts with $prefix (the bench copies of
// bench/clone_patients and bench/copy_patient), for store/bench.py to delete them through
// patient/delete_patients. A range seek on the Patient id's unique index.
// Parameters: $prefix (string). Returns: id, one row per patient, by id.
MATCH (p:Patient) WHERE p.id STARTS WITH $prefix
RETURN p.id AS id ORDER BY id
