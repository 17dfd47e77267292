// Release a lock held by $owner (a lock taken over by someone else is left alone).
// Parameters: $id (string), $owner (string). Returns: released (int).
MATCH (l:Lock {id: $id, owner: $owner})
DELETE l
RETURN count(*) AS released
