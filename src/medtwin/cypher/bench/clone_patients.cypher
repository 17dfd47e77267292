// Benchmark only (make bench-cohort): copy real ranked patients as many synthetic ones, fast, with
// the shape the hot reads touch: Patient -HAS_TWIN-> Twin (complete, with its INCLUDES
// relationships to Protein) -HAS_RANKING-> Ranking (complete, with its table and top SCORES).
// Each distinct source is read once per call (its properties, its genes' and top drugs'
// relationships), not once per copy: 4-14 % less server CPU (docs/cohorts.md, stop 55).
// A row whose id is a patient already is skipped, so a rerun after a failed batch (each batch is
// one transaction: all its copies or none) adds only the copies still missing, duplicating nothing.
// Parameters: $rows (list<map: source (a ranked patient id), id (new patient id)>), $cohort (string).
// Returns: patients, includes, scores (counts created).
CALL () {
  UNWIND $rows AS each
  WITH DISTINCT each.source AS source
  MATCH (sp:Patient {id: source})-[:HAS_TWIN]->(st:Twin {status: 'complete'})
  WITH sp, st ORDER BY st.version DESC
  WITH sp, collect(st)[0] AS st
  MATCH (st)-[:HAS_RANKING]->(sr:Ranking {status: 'complete'})
  WITH sp, st, sr ORDER BY sr.created_at DESC
  WITH sp, st, collect(sr)[0] AS sr
  CALL (st) {
    MATCH (st)-[i:INCLUDES]->(g:Protein)
    RETURN collect({node: g, props: properties(i)}) AS includes
  }
  CALL (sr) {
    MATCH (sr)-[s:SCORES]->(d:Drug)
    RETURN collect({node: d, props: properties(s)}) AS scores
  }
  RETURN collect({id: sp.id, patient: properties(sp), twin: properties(st),
                  ranking: properties(sr), includes: includes, scores: scores}) AS found
}
UNWIND $rows AS row
WITH found, row WHERE NOT EXISTS { MATCH (:Patient {id: row.id}) }
WITH row, [s IN found WHERE s.id = row.source][0] AS src
WHERE src IS NOT NULL
WITH row, src, src.patient AS sp, src.twin AS st, src.ranking AS sr
CREATE (p:Patient)
SET p = sp {.*, id: row.id, patient_id: row.id, metadata_json: '{"cohort": "' + $cohort + '"}'}
CREATE (t:Twin)
SET t = st {.*, id: row.id + '@v' + toString(st.version), patient_id: row.id}
CREATE (p)-[:HAS_TWIN]->(t)
CREATE (r:Ranking)
SET r = sr {.*, id: t.id + substring(sr.id, size(st.id)), twin_id: t.id, patient_id: row.id}
CREATE (t)-[:HAS_RANKING]->(r)
WITH src, t, r
CALL (src, t) {
  UNWIND src.includes AS i
  WITH t, i.node AS g, i.props AS props
  CREATE (t)-[copy:INCLUDES]->(g)
  SET copy = props
  RETURN count(copy) AS includes
}
CALL (src, r) {
  UNWIND src.scores AS s
  WITH r, s.node AS d, s.props AS props
  CREATE (r)-[copy:SCORES]->(d)
  SET copy = props
  RETURN count(copy) AS scores
}
RETURN count(t) AS patients, sum(includes) AS includes, sum(scores) AS scores
