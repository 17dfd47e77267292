// Targets of some drugs in one drug–target source, with the drug's action on each (biomarker chains).
// Parameters: $drug_ids (list<string>), $source (string, Dataset id). Returns: drug_id, entrez, symbol,
// direction ('inhibit' | 'activate' | 'unknown' or null).
MATCH (d:Drug)-[r:TARGETS {source: $source}]->(p:Protein)
WHERE d.id IN $drug_ids
RETURN d.id AS drug_id, p.id AS entrez, p.symbol AS symbol, r.direction AS direction
ORDER BY drug_id, entrez
