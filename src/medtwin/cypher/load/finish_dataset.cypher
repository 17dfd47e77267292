// Mark a dataset complete with its row counts.
// Parameters: $id (string), $counts (map kind -> rows), $seconds (float). Returns: id.
MATCH (d:Dataset {id: $id})
SET d.status = 'complete', d.loaded_at = datetime(), d.load_seconds = $seconds,
    d.counts = [k IN keys($counts) | k + '=' + toString($counts[k])], d.rows = reduce(t = 0, k IN keys($counts) | t + $counts[k])
RETURN d.id AS id
