// The top of the latest ranking of the latest twin of each patient (a cohort summary reads these),
// as ONE row holding a list with one item per ranked patient, by patient id: the driver then
// decodes one record instead of one per patient (its per-record work was ~1/2 of the read's CPU at
// 10,000 patients). A ranking whose top summary covers the top (top_summary: a JSON list of its
// best top_summary_n rows [rank, drug_id, q, direction, combined(, name)], see store/rankings.py)
// gives that string; else (a deeper top, or a ranking stored before the summary) its SCORES
// relationships' ranks 1..top as such lists, with the name.
// Parameters: $ids (list<string>: patient ids), $top (int: ranks 1..top).
// Returns: items (list of [patient_id, twin_id, ranking_id, targets, summary (string or null),
// rows (list<list> or null), rules (int or null: the ranking rules it was made under)]).
UNWIND $ids AS pid
MATCH (:Patient {id: pid})-[:HAS_TWIN]->(t:Twin)
WITH pid, t ORDER BY t.version DESC
WITH pid, collect(t)[0] AS t
MATCH (t)-[:HAS_RANKING]->(r:Ranking)
WITH pid, t, r ORDER BY r.created_at DESC
WITH pid, t, collect(r)[0] AS r
WITH pid, t, r,
     coalesce(r.top_summary IS NOT NULL
              AND ($top <= r.top_summary_n OR r.top_summary_n = r.n_drugs), false) AS covered
ORDER BY pid
RETURN collect([pid, t.id, r.id, r.targets,
                CASE WHEN covered THEN r.top_summary ELSE null END,
                CASE WHEN covered THEN null
                     ELSE [(r)-[s:SCORES]->(d) WHERE s.rank <= $top
                           | [s.rank, s.drug_id, s.q, s.direction, s.combined, d.name]] END,
                r.rules])
       AS items
