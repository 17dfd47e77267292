// Drugs whose name or other name holds the given text, case-insensitive: exact names first, then names that begin
// with it, then shorter names: what a drug id that is no drug's may have meant (`medtwin explain P methotrexate`
// gave a name where the id goes). `other_names` are later sources' names (load/merge_drugs): DrugBank 4.2 calls
// cediranib "AZD2171". Each drug is ordered by its best-matching name. Parameters: $text, $limit.
// Returns: id, name, matched (the other name that matched, or null when the name itself did).
WITH toLower($text) AS text
MATCH (d:Drug)
WITH d, text, [n IN [d.name] + coalesce(d.other_names, []) WHERE toLower(n) CONTAINS text] AS hits
WHERE size(hits) > 0
UNWIND hits AS hit
WITH d, text, hit
ORDER BY toLower(hit) <> text, NOT toLower(hit) STARTS WITH text, size(hit), hit
WITH d, text, collect(hit)[0] AS best
RETURN d.id AS id, d.name AS name, CASE WHEN best = d.name THEN null ELSE best END AS matched
ORDER BY toLower(best) <> text, NOT toLower(best) STARTS WITH text, size(best), d.id
LIMIT $limit
