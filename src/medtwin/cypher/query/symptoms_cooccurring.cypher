// Browser example: symptoms (HSDN) or phenotypes (HPO) co-occurring with one, by id or name.
// Parameters: $symptom (string: "D005334", "Fever", "HP:0001945"). Returns: path, co_occurring, weight, method, shared.
MATCH (s) WHERE (s:Symptom OR s:Phenotype) AND (s.id = $symptom OR toLower(s.name) = toLower($symptom))
MATCH path = (s)-[c:CO_OCCURS_WITH]-(o)
RETURN path, o.name AS co_occurring, o.id AS id, c.weight AS weight, c.method AS method,
       c.shared AS shared
ORDER BY weight DESC
LIMIT 25
