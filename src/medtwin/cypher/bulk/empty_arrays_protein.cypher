// After a bulk import: set the empty list properties of Protein nodes (neo4j-admin import writes no
// property for an empty array; the MERGE path stores []).
// Parameters: $rows (list<map: id, empty (map: key -> [])>). Returns: n.
UNWIND $rows AS row
MATCH (n:Protein {id: row.id})
SET n += row.empty
RETURN count(*) AS n
