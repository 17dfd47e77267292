// Update properties of a twin (e.g. GDS summary, timings).
// Parameters: $twin_id, $props (map). Returns: id.
MATCH (t:Twin {id: $twin_id})
SET t += $props
RETURN t.id AS id
