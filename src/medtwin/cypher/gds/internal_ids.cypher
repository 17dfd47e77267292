// Internal node ids of Protein nodes by medtwin id (sources for personalised PageRank).
// Parameters: $ids (list<string>). Returns: id (string), node_id (int).
UNWIND $ids AS pid
MATCH (p:Protein {id: pid})
RETURN pid AS id, id(p) AS node_id
