// Browser example: the DoRothEA regulon of a transcription factor (by symbol or Entrez id).
// Parameters: $tf (string: "STAT1" or "6772"). Returns: path (draw it), tf, target, mor, confidence.
MATCH (t:Protein) WHERE t.id = $tf OR t.symbol = $tf
MATCH path = (t)-[r:REGULATES]->(g:Protein)
RETURN path, t.symbol AS tf, g.symbol AS target, r.mor AS mor, r.confidence AS confidence
ORDER BY confidence, target
LIMIT 100
