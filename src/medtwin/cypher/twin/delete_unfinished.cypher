// Remove what crashed builds and rankings of one patient left ('building' twins with their cell
// types and rankings, 'building' rankings). Run only while holding the patient's lock.
// Parameters: $patient_id (string). Returns: twins, rankings (counts deleted).
OPTIONAL MATCH (t:Twin {patient_id: $patient_id, status: 'building'})
OPTIONAL MATCH (t)-[:HAS_CELL_TYPE|HAS_RANKING]->(x)
WITH collect(DISTINCT t) AS twins, collect(DISTINCT x) AS children
FOREACH (c IN children | DETACH DELETE c)
FOREACH (t IN twins | DETACH DELETE t)
WITH size(twins) AS twins
OPTIONAL MATCH (r:Ranking {patient_id: $patient_id, status: 'building'})
WITH twins, collect(r) AS rankings
FOREACH (r IN rankings | DETACH DELETE r)
RETURN twins, size(rankings) AS rankings
