// Drugs whose name or other name holds the given text, without regard to case or accents: exact names first, then
// names that begin with it, then shorter names: what a drug id that is no drug's may have meant (`medtwin explain P
// méthotrexate` gave a name where the id goes). `other_names` are later sources' names (load/merge_drugs): DrugBank
// 4.2 calls cediranib "AZD2171". Names are compared by their keys (medtwin.name_key: accents stripped, case-folded),
// which load/merge_drugs stores beside them, as Cypher cannot strip accents; a drug that only a target row named
// (its name is its id) has no key, and its lower-case name stands in. Each drug is ordered by its best-matching name.
// Parameters: $key (the typed text's key), $limit.
// Returns: id, name, matched (the other name that matched, or null when the name itself did).
MATCH (d:Drug)
WITH d, [d.name] + coalesce(d.other_names, []) AS names,
     [coalesce(d.name_key, toLower(d.name))] + coalesce(d.other_name_keys, []) AS keys
WITH d, [i IN range(0, size(names) - 1) WHERE keys[i] CONTAINS $key | [keys[i], names[i]]] AS hits
WHERE size(hits) > 0
UNWIND hits AS hit
WITH d, hit
ORDER BY hit[0] <> $key, NOT hit[0] STARTS WITH $key, size(hit[1]), hit[1]
WITH d, collect(hit)[0] AS best
RETURN d.id AS id, d.name AS name, CASE WHEN best[1] = d.name THEN null ELSE best[1] END AS matched
ORDER BY best[0] <> $key, NOT best[0] STARTS WITH $key, size(best[1]), d.id
LIMIT $limit
