// Gene identity table for resolving symbols: every Protein with its symbol and synonyms.
// Parameters: none. Returns: entrez, symbol, synonyms, hgnc.
MATCH (p:Protein) WHERE p.symbol IS NOT NULL
RETURN p.id AS entrez, p.symbol AS symbol, coalesce(p.synonyms, []) AS synonyms, p.hgnc AS hgnc
