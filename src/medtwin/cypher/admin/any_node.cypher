// Whether the database holds any node (the bulk importer only fills an empty database).
// Parameters: none. Returns: any (bool).
RETURN EXISTS { MATCH (n) } AS any
