// One page of a complete ranking's drugs, best first (Drug nodes, or CustomDrug nodes of a
// targets file).
// Parameters: $ranking_id (string), $offset (int), $limit (int), $drug_id (string or null).
// Returns: drug_name, score (map of SCORES properties).
MATCH (:Ranking {id: $ranking_id, status: 'complete'})-[s:SCORES]->(d)
WHERE (d:Drug OR d:CustomDrug) AND ($drug_id IS NULL OR s.drug_id = $drug_id)
RETURN d.name AS drug_name, properties(s) AS score
ORDER BY s.rank
SKIP $offset LIMIT $limit
