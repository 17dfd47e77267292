// Mark a dataset as being loaded (status 'loading'); a crash leaves it visible as incomplete.
// Parameters: $id (string), $props (map: version, url, licence, sha256, files, loader).
// Returns: previous_status, previous_sha256, previous_loader.
MERGE (d:Dataset {id: $id})
WITH d, d.status AS previous_status, d.sha256 AS previous_sha256, d.loader AS previous_loader
SET d += $props, d.name = $id, d.status = 'loading', d.started_at = datetime()
RETURN previous_status, previous_sha256, previous_loader
