// Delete all nodes and relationships in batches (test clean-up only; refuses non-test servers in code).
// Parameters: none. Returns: nothing.
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
