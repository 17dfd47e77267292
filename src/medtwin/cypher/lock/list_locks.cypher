// Every lock held (for `medtwin db repair`).
// Parameters: none. Returns: lock (map of properties).
MATCH (l:Lock)
RETURN properties(l) AS lock
ORDER BY l.id
