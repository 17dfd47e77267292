// The gene identity table restricted to the genes a symbol resolver needs for $names: those whose
// symbol, one of whose synonyms or whose Ensembl id is in $names (compared in upper case; Ensembl
// ids without their version). Resolving a name depends only on these genes, so an index built from
// them resolves $names exactly as one built from query/gene_lookup would (GeneIndex.resolve),
// without reading all ~57,000 genes.
// Parameters: names (list of upper-case strings). Returns: as query/gene_lookup.
MATCH (p:Protein) WHERE p.symbol IS NOT NULL
  AND (toUpper(p.symbol) IN $names OR any(s IN coalesce(p.synonyms, []) WHERE toUpper(s) IN $names)
       OR toUpper(p.ensembl) IN $names)
RETURN collect(p.id) AS entrez, collect(p.symbol) AS symbol,
       collect(coalesce(p.synonyms, [])) AS synonyms, collect(coalesce(p.hgnc, '')) AS hgnc,
       collect(coalesce(p.ensembl, '')) AS ensembl
