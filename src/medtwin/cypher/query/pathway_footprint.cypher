// Browser example: the PROGENy footprint of a pathway, heaviest genes first.
// Parameters: $pathway (string: "MAPK", "p53", "JAK.STAT", ...). Returns: path, pathway, gene, weight.
MATCH path = (w:Pathway {name: $pathway})-[f:FOOTPRINT]->(g:Protein)
RETURN path, w.name AS pathway, g.symbol AS gene, f.weight AS weight
ORDER BY abs(f.weight) DESC
LIMIT 100
