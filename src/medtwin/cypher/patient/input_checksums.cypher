// The file checksums of each named patient's inputs, in one query (add-cohort's clash check).
// Parameters: $ids (list<string>). Returns: id, checksums (list<string>: each input's
// file_checksums_json). A patient that does not exist or has no input returns no row.
UNWIND $ids AS pid
MATCH (:Patient {id: pid})-[:HAS_INPUT]->(i:PatientInput)
RETURN pid AS id, collect(i.file_checksums_json) AS checksums
