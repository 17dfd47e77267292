// After a bulk import: set the empty list properties of INTERACTS_WITH relationships (neo4j-admin
// import writes no property for an empty array; the MERGE path stores []).
// Parameters: $rows (list<map: a, b (entrez ids, a < b), source, empty (map: key -> [])>). Returns: n.
UNWIND $rows AS row
MATCH (:Protein {id: row.a})-[r:INTERACTS_WITH]->(:Protein {id: row.b})
SET r += row.empty
RETURN count(*) AS n
