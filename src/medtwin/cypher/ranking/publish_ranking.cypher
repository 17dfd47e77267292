// Make a finished ranking visible in one transaction: the previous ranking with the same id
// (same twin and parameters) is deleted and the new one takes its id with status 'complete', so a
// reader sees either the old or the new ranking, whole (with the old one's CustomDrug nodes gone).
// Parameters: $building_id (string), $id (string).
// Returns: id, replaced (int), created_at (datetime).
MATCH (new:Ranking {id: $building_id, status: 'building'})
OPTIONAL MATCH (old:Ranking {id: $id})
OPTIONAL MATCH (old)-[:SCORES]->(c:CustomDrug)
WITH new, collect(DISTINCT old) AS olds, collect(c) AS custom
FOREACH (c IN custom | DETACH DELETE c)
FOREACH (o IN olds | DETACH DELETE o)
SET new.id = $id, new.status = 'complete'
RETURN new.id AS id, size(olds) AS replaced, new.created_at AS created_at
