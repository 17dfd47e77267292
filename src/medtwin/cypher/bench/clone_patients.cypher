// Benchmark only (make bench-cohort): copy real ranked patients as many synthetic ones, fast, with
// the shape the hot reads touch: Patient -HAS_TWIN-> Twin (complete, with its INCLUDES
// relationships to Protein) -HAS_RANKING-> Ranking (complete, with its table and top SCORES).
// Parameters: $rows (list<map: source (a ranked patient id), id (new patient id)>), $cohort (string).
// Returns: patients, includes, scores (counts created).
UNWIND $rows AS row
MATCH (sp:Patient {id: row.source})-[:HAS_TWIN]->(st:Twin {status: 'complete'})
WITH row, sp, st ORDER BY st.version DESC
WITH row, sp, collect(st)[0] AS st
MATCH (st)-[:HAS_RANKING]->(sr:Ranking {status: 'complete'})
WITH row, sp, st, sr ORDER BY sr.created_at DESC
WITH row, sp, st, collect(sr)[0] AS sr
CREATE (p:Patient)
SET p = sp {.*, id: row.id, patient_id: row.id, metadata_json: '{"cohort": "' + $cohort + '"}'}
CREATE (t:Twin)
SET t = st {.*, id: row.id + '@v' + toString(st.version), patient_id: row.id}
CREATE (p)-[:HAS_TWIN]->(t)
CREATE (r:Ranking)
SET r = sr {.*, id: t.id + substring(sr.id, size(st.id)), twin_id: t.id, patient_id: row.id}
CREATE (t)-[:HAS_RANKING]->(r)
WITH st, t, sr, r
CALL (st, t) {
  MATCH (st)-[i:INCLUDES]->(g:Protein)
  CREATE (t)-[copy:INCLUDES]->(g)
  SET copy = properties(i)
  RETURN count(copy) AS includes
}
CALL (sr, r) {
  MATCH (sr)-[s:SCORES]->(d:Drug)
  CREATE (r)-[copy:SCORES]->(d)
  SET copy = properties(s)
  RETURN count(copy) AS scores
}
RETURN count(t) AS patients, sum(includes) AS includes, sum(scores) AS scores
