// Transactions running on one database, but this one (what `medtwin db backup` would interrupt by
// stopping the server). Parameters: $database (string). Returns: id, query (the statement running,
// '' between statements), metadata (map: medtwin's writes carry {medtwin: 'write', statement}),
// started (datetime), client, user, elapsed_ms (int), locks (int: locks the transaction holds).
SHOW TRANSACTIONS
YIELD transactionId, database, currentQuery, metaData, startTime, clientAddress, username,
      elapsedTime, activeLockCount
WHERE database = $database AND NOT currentQuery CONTAINS 'SHOW TRANSACTIONS'
RETURN transactionId AS id, currentQuery AS query, metaData AS metadata, startTime AS started,
       clientAddress AS client, username AS user, elapsedTime.milliseconds AS elapsed_ms,
       activeLockCount AS locks
ORDER BY started
