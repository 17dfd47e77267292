// Every audit event, a page at a time in id order (`medtwin db restore` keeps them across a restore).
// Parameters: $after_id (string or null: from the first), $limit (integer).
// Returns: id, at (ISO-8601 string), actor, action, patient_id, route, status.
// The page is read from the id's constraint index in id order, LIMIT rows and no more: `WHERE
// $after_id IS NULL OR e.id > $after_id` got no index, so every page scanned and sorted every event
// (a backup of N events read N²/10,000 of them). `>= coalesce(.., '')` is the seekable range (every
// id, '' included, on the first page); the second condition drops the page's last id.
MATCH (e:AuditEvent)
WHERE e.id >= coalesce($after_id, '') AND ($after_id IS NULL OR e.id > $after_id)
RETURN e.id AS id, toString(e.at) AS at, e.actor AS actor, e.action AS action,
       e.patient_id AS patient_id, e.route AS route, e.status AS status
ORDER BY e.id
LIMIT $limit
