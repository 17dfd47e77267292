// Create a twin version for a patient, as status 'building' (invisible to every read until
// twin/complete_twin flips it to 'complete').
// Parameters: $patient_id, $props (map: id, version, params_json, params_hash, input_checksums_json, seed,
// module_size, module_z, module_p, module_mu, module_sigma, n_seeds, n_genes, n_changes, ...). Returns: id.
MATCH (p:Patient {id: $patient_id})
CREATE (t:Twin)
SET t = $props, t.patient_id = $patient_id, t.created_at = datetime(), t.status = 'building'
CREATE (p)-[:HAS_TWIN]->(t)
RETURN t.id AS id
