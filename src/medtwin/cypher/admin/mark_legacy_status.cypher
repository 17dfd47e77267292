// Give twins and rankings written before statuses existed one: 'complete' when finished
// (a twin with build_seconds; a ranking with scores), else 'building' (then removed by repair).
// Parameters: none. Returns: twins, rankings (counts updated).
OPTIONAL MATCH (t:Twin) WHERE t.status IS NULL
SET t.status = CASE WHEN t.build_seconds IS NULL THEN 'building' ELSE 'complete' END
WITH count(t) AS twins
OPTIONAL MATCH (r:Ranking) WHERE r.status IS NULL
SET r.status = CASE WHEN EXISTS { (r)-[:SCORES]->() } THEN 'complete' ELSE 'building' END
RETURN twins, count(r) AS rankings
