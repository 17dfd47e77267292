// Symbols of proteins by Entrez id (for readable explanations).
// Parameters: $ids (list<string>). Returns: id, symbol.
UNWIND $ids AS pid
MATCH (p:Protein {id: pid})
RETURN p.id AS id, p.symbol AS symbol
