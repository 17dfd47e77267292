// Which of the given ids are Symptom (HSDN, MeSH) or Phenotype (HPO) nodes of the reference graph.
// Parameters: $ids (list<string>). Returns: id, name, kind.
UNWIND $ids AS sid
OPTIONAL MATCH (ph:Phenotype {id: sid})
OPTIONAL MATCH (sy:Symptom {id: sid})
WITH sid, coalesce(ph, sy) AS s
WHERE s IS NOT NULL
RETURN sid AS id, s.name AS name, labels(s)[0] AS kind
