// Create or update Protein nodes from NCBI gene_info rows (GeneRow).
// Parameters: $rows (list<map>: entrez, symbol, name, synonyms, hgnc, ensembl, gene_type, source, source_version).
// Returns: n (rows written).
UNWIND $rows AS row
MERGE (p:Protein {id: row.entrez})
SET p.symbol = row.symbol, p.name = row.name, p.synonyms = row.synonyms, p.hgnc = row.hgnc,
    p.ensembl = row.ensembl, p.gene_type = row.gene_type, p.source_version = row.source_version,
    p.sources = coalesce(p.sources, []) + CASE WHEN row.source IN coalesce(p.sources, []) THEN [] ELSE [row.source] END
RETURN count(*) AS n
