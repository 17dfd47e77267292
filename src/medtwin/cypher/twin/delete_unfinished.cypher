// Remove what crashed builds and rankings of one patient left ('building' twins with their cell
// types, tissues, phenotype module and rankings, 'building' rankings, and those rankings'
// CustomDrug nodes). Run only while holding the patient's lock.
// Parameters: $patient_id (string). Returns: twins, rankings (counts deleted).
OPTIONAL MATCH (t:Twin {patient_id: $patient_id, status: 'building'})
OPTIONAL MATCH (t)-[:HAS_CELL_TYPE|HAS_RANKING|HAS_TISSUE|HAS_PHENOTYPE_MODULE]->(x)
OPTIONAL MATCH (x)-[:SCORES]->(xc:CustomDrug)
OPTIONAL MATCH (x:Tissue)-[:HAS_CELL_TYPE]->(y:CellType)
WITH collect(DISTINCT t) AS twins, collect(DISTINCT x) + collect(DISTINCT y) AS children,
     collect(DISTINCT xc) AS xcs
FOREACH (c IN xcs | DETACH DELETE c)
FOREACH (c IN children | DETACH DELETE c)
FOREACH (t IN twins | DETACH DELETE t)
WITH size(twins) AS twins
OPTIONAL MATCH (r:Ranking {patient_id: $patient_id, status: 'building'})
OPTIONAL MATCH (r)-[:SCORES]->(rc:CustomDrug)
WITH twins, collect(DISTINCT r) AS rankings, collect(DISTINCT rc) AS rcs
FOREACH (c IN rcs | DETACH DELETE c)
FOREACH (r IN rankings | DETACH DELETE r)
RETURN twins, size(rankings) AS rankings
