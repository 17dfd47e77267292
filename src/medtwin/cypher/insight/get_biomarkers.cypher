// The stored biomarker suggestions of one twin (see insight/replace_biomarkers), best first.
// Parameters: $twin_id (string). Returns: key, rank, suggestion_json.
MATCH (:Twin {id: $twin_id, status: 'complete'})-[r:SUGGESTS_BIOMARKER]->(:Protein)
RETURN r.key AS key, r.rank AS rank, r.suggestion_json AS suggestion_json
ORDER BY r.rank
