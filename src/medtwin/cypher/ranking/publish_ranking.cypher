// Make a finished ranking visible in one transaction: the previous ranking with the same id
// (same twin and parameters) is deleted and the new one takes its id with status 'complete', so a
// reader sees either the old or the new ranking, whole.
// Parameters: $building_id (string), $id (string). Returns: id, replaced (int).
MATCH (new:Ranking {id: $building_id, status: 'building'})
OPTIONAL MATCH (old:Ranking {id: $id})
WITH new, collect(old) AS olds
FOREACH (o IN olds | DETACH DELETE o)
SET new.id = $id, new.status = 'complete'
RETURN new.id AS id, size(olds) AS replaced
