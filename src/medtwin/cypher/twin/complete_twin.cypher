// Finish a twin build: set its summary properties and make it visible (status 'complete').
// Parameters: $twin_id (string), $props (map). Returns: id.
MATCH (t:Twin {id: $twin_id, status: 'building'})
SET t += $props, t.status = 'complete'
RETURN t.id AS id
