// Server product versions (run against the `system` database).
// Parameters: none. Returns: v (Neo4j kernel version).
CALL dbms.components() YIELD versions
RETURN versions[0] AS v
