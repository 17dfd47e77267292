// Drugs whose name is the given text or begins with it, case-insensitive, exact matches first: what a drug
// id that is no drug's may have meant (`medtwin explain P aspirin` gave a name where the id goes).
// Parameters: $text, $limit. Returns: id, name.
MATCH (d:Drug)
WHERE toLower(d.name) STARTS WITH toLower($text)
RETURN d.id AS id, d.name AS name
ORDER BY toLower(d.name) <> toLower($text), size(d.name), d.id
LIMIT $limit
