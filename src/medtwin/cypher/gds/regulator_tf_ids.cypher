// The transcription factors of the regulon layer that are nodes of the shared regulatory
// projection (a protein with a REGULATES edge to another protein): the seeds whose PageRank
// columns are computed once per projection. Parameters: none. Returns: id (string), by id.
MATCH (t:Protein)
  WHERE EXISTS { (t)-[:REGULATES]->(o:Protein) WHERE o <> t }
RETURN t.id AS id
ORDER BY id
