// The lock of one patient, if held (a killed operation's lock outlives it until taken over).
// Parameters: $id (string, 'patient:<id>'). Returns: lock (map of the lock's properties); no row if free.
MATCH (l:Lock {id: $id})
RETURN properties(l) AS lock
