// Browser example: the LINCS L1000 consensus signature of a drug (by DrugBank id or name), the
// landmark genes it moves most.
// Parameters: $drug (string: "DB00563" or "Methotrexate"). Returns: path, drug, gene, z.
MATCH (d:Drug) WHERE d.id = $drug OR toLower(d.name) = toLower($drug)
MATCH path = (d)-[p:PERTURBS]->(g:Protein)
RETURN path, d.name AS drug, g.symbol AS gene, p.z AS z
ORDER BY abs(p.z) DESC
LIMIT 50
