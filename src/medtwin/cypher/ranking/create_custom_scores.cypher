// Store the scores of drugs from a user's own targets file (`rank --targets FILE`): each drug is a
// patient-specific (:CustomDrug) node (deleted with its ranking or patient), scored like a Drug.
// Parameters: $ranking_id, $rows (list<map>: drug_id, drug_name (may be null), rank, combined, ...
// as ranking/create_scores). Returns: n.
MATCH (r:Ranking {id: $ranking_id})
UNWIND $rows AS row
CREATE (d:CustomDrug {id: randomUUID(), drug_id: row.drug_id, name: row.drug_name,
                      patient_id: r.patient_id})
CREATE (r)-[s:SCORES]->(d)
SET s = row
REMOVE s.drug_name
RETURN count(*) AS n
