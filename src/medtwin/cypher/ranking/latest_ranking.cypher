// The latest complete ranking of a patient's latest (or given) complete twin (the API's hot read,
// without its page or table; pages of a complete ranking never change, so the caller may cache
// them).
// Parameters: $patient_id (string), $version (int or null), $targets (list of target sources the
// ranking was made with, or null for any).
// Returns: twin (map: id, patient_id, module_z, module_p, version, rules, input_checksums_json, inputs: the patient's
// inputs now as maps of id, sha256, name: is the twin older than them?), ranking (map of
// properties but score_table, or null).
MATCH (p:Patient {id: $patient_id})-[:HAS_TWIN]->(t:Twin {status: 'complete'})
WHERE $version IS NULL OR t.version = $version
WITH p, t ORDER BY t.version DESC LIMIT 1
OPTIONAL MATCH (t)-[:HAS_RANKING]->(r:Ranking {status: 'complete'})
WHERE $targets IS NULL OR r.targets IN $targets
WITH p, t, r ORDER BY r.created_at DESC LIMIT 1
RETURN t {.id, .patient_id, .module_z, .module_p, .version, .rules, .input_checksums_json,
          inputs: [(p)-[:HAS_INPUT]->(i:PatientInput) | i {.id, .sha256, .name}]} AS twin,
       CASE WHEN r IS NULL THEN null
            ELSE r {.id, .twin_id, .patient_id, .created_at, .status, .methods, .targets,
                    .params_json, .rules, .seed, .n_samples, .n_drugs, .seconds, .module_size, .patient_note,
                    .table_format, .table_rows, .top_n, .no_score_json,
                    .n_genes_with_statistic} END AS ranking
