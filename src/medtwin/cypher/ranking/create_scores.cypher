// Store each drug's scores of a ranking on the ranking's own SCORES relationships.
// Parameters: $ranking_id, $rows (list<map>: drug_id, rank, combined, d_c, z, p, q, centrality,
// disruption_z, direction, degree_baseline_rank, n_targets, n_targets_in_network, targets_in_module).
// Returns: n.
MATCH (r:Ranking {id: $ranking_id})
UNWIND $rows AS row
MATCH (d:Drug {id: row.drug_id})
CREATE (r)-[s:SCORES]->(d)
SET s = row
RETURN count(*) AS n
