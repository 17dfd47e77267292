// Names of Drug nodes (the rows of a ranking's table carry drug ids only).
// Parameters: $ids (list<string>). Returns: id, name.
UNWIND $ids AS id
MATCH (d:Drug {id: id})
RETURN d.id AS id, d.name AS name
