// Co-occurrence edges (CO_OCCURS_WITH, HSDN symptoms and HPO phenotypes) touching the given terms.
// Parameters: $ids (list<string>). Returns: a, b, weight, kind (Symptom or Phenotype), one row per edge.
UNWIND $ids AS sid
OPTIONAL MATCH (ph:Phenotype {id: sid})
OPTIONAL MATCH (sy:Symptom {id: sid})
WITH coalesce(ph, sy) AS s
WHERE s IS NOT NULL
MATCH (s)-[c:CO_OCCURS_WITH]-(o)
WITH DISTINCT startNode(c) AS a, endNode(c) AS b, c.weight AS weight
RETURN a.id AS a, b.id AS b, toFloat(weight) AS weight, labels(a)[0] AS kind
ORDER BY a, b
