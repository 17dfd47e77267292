// Take over a lock whose holder is known to be dead (compare-and-set on the old owner).
// Parameters: $id (string), $old_owner (string), $owner (string), $host (string), $pid (int),
//   $operation (string). Returns: acquired (boolean; false when someone else changed it first).
OPTIONAL MATCH (l:Lock {id: $id, owner: $old_owner})
SET l.owner = $owner, l.host = $host, l.pid = $pid, l.operation = $operation,
  l.acquired_at = datetime()
RETURN l IS NOT NULL AS acquired
