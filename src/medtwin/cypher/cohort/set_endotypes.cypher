// Record each patient's community (candidate endotype) of a stratification on the Patient node.
// Parameters: $method (string), $rows (list<map: id, community (int)>). Returns: n.
UNWIND $rows AS row
MATCH (p:Patient {id: row.id})
SET p.endotype = row.community, p.endotype_method = $method
RETURN count(p) AS n
