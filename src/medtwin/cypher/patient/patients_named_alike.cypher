// Patients whose id equals $id but for case (gsm389703 beside GSM389703), when no patient has
// $id itself: a new patient so named is refused, a lookup of it names them. The label scan runs
// only for an id that is not stored (an add to a known patient is one index seek).
// Parameters: $id (string). Returns: id (string), at most 5, by id.
OPTIONAL MATCH (same:Patient {id: $id})
WITH same
WHERE same IS NULL
MATCH (p:Patient)
WHERE toLower(p.id) = toLower($id)
RETURN p.id AS id
ORDER BY id
LIMIT 5
