// Shortest PPI paths from a drug's targets to the twin's module genes (draw in Neo4j Browser).
// Parameters: $drug_id (string), $twin_id (string), $source (string, drug-target Dataset id), $max_hops (int ≤ 6).
// Returns: path, target, gene, hops (at most 25 paths, shortest first).
MATCH (:Drug {id: $drug_id})-[:TARGETS {source: $source}]->(t:Protein)
MATCH (:Twin {id: $twin_id})-[i:INCLUDES {in_module: true}]->(m:Protein)
MATCH path = shortestPath((t)-[:INTERACTS_WITH*0..6]-(m))
// Filtered after WITH: a WHERE on the path itself makes Neo4j fall back to an exhaustive search
// (minutes on the real interactome; 0.2 s this way).
WITH path, t, m, i WHERE length(path) <= $max_hops
RETURN path, t.symbol AS target, m.symbol AS gene, length(path) AS hops
ORDER BY hops, coalesce(i.pagerank, 0) DESC
LIMIT 25
