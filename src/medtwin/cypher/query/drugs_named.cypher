// Drugs whose name holds the given text, case-insensitive: exact names first, then names that begin with it, then
// shorter names: what a drug id that is no drug's may have meant (`medtwin explain P methotrexate` gave a name
// where the id goes). Parameters: $text, $limit. Returns: id, name.
WITH toLower($text) AS text
MATCH (d:Drug)
WHERE toLower(d.name) CONTAINS text
RETURN d.id AS id, d.name AS name
ORDER BY toLower(d.name) <> text, NOT toLower(d.name) STARTS WITH text, size(d.name), d.id
LIMIT $limit
