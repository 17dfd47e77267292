// Version of the Graph Data Science plugin; fails with ProcedureNotFound when it is missing.
// Parameters: none. Returns: v.
RETURN gds.version() AS v
