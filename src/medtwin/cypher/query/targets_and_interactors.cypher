// Browser example: the targets of a drug (by DrugBank id or name) and their PPI interactors.
// Parameters: $drug (string: "DB00945" or "Aspirin"). Returns: path (draw it), drug, target, source,
// direction, interactors (count).
MATCH (d:Drug) WHERE d.id = $drug OR toLower(d.name) = toLower($drug)
MATCH (d)-[t:TARGETS]->(p:Protein)
OPTIONAL MATCH path = (d)-[t]->(p)-[:INTERACTS_WITH]-(:Protein)
WITH d, t, p, collect(path)[..10] AS paths, count(path) AS interactors
RETURN paths[0] AS path, d.name AS drug, p.symbol AS target, t.source AS source,
       t.direction AS direction, interactors
ORDER BY interactors DESC
LIMIT 50
