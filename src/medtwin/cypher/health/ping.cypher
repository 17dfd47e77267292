// A round trip to the configured database: `medtwin.connect()` runs it, so that a database the
// server does not have is reported when a notebook connects, not at its first query.
// Parameters: none. Returns: ok.
RETURN 1 AS ok
