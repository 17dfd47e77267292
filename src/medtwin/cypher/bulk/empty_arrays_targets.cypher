// After a bulk import: set the empty list properties of TARGETS relationships (neo4j-admin import
// writes no property for an empty array; the MERGE path stores []).
// Parameters: $rows (list<map: a (drug id), b (entrez), source, empty (map: key -> [])>). Returns: n.
UNWIND $rows AS row
MATCH (:Drug {id: row.a})-[r:TARGETS {source: row.source}]->(:Protein {id: row.b})
SET r += row.empty
RETURN count(*) AS n
