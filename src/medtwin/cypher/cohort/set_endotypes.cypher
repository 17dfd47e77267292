// Record each patient's community (candidate endotype) of a stratification on the Patient node, with
// the run it came from (a deletion of another patient of the same run marks it stale: delete_patient)
// and the command that computes it again; a new run clears the stale mark. No other patient's id.
// Parameters: $method (string), $run (string: this run's id), $refresh (string: the command),
//   $rows (list<map: id, community (int)>). Returns: n.
UNWIND $rows AS row
MATCH (p:Patient {id: row.id})
SET p.endotype = row.community, p.endotype_method = $method, p.endotype_run = $run,
    p.endotype_refresh = $refresh, p.endotype_at = datetime()
REMOVE p.endotype_deleted
RETURN count(p) AS n
