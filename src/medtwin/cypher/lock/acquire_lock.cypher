// Take the lock of one patient if free (MERGE on the constrained id serialises concurrent takers).
// Parameters: $id (string, 'patient:<id>'), $owner (string, unique per holder), $host (string),
//   $pid (int), $operation (string). Returns: acquired (boolean), lock (map of the lock's properties).
MERGE (l:Lock {id: $id})
ON CREATE SET l.owner = $owner, l.host = $host, l.pid = $pid, l.operation = $operation,
  l.acquired_at = datetime()
RETURN l.owner = $owner AS acquired, properties(l) AS lock
