// Gene identity table for resolving symbols, as parallel lists in one record (fast to decode).
// Parameters: none. Returns: entrez, symbol, synonyms (list of lists), hgnc, ensembl ('' when none;
// collect skips nulls).
MATCH (p:Protein) WHERE p.symbol IS NOT NULL
RETURN collect(p.id) AS entrez, collect(p.symbol) AS symbol,
       collect(coalesce(p.synonyms, [])) AS synonyms, collect(coalesce(p.hgnc, '')) AS hgnc,
       collect(coalesce(p.ensembl, '')) AS ensembl
