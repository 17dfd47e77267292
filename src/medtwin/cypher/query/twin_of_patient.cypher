// Browser example: the latest twin of a patient with its module genes and their interactions.
// Parameters: $patient_id (string). Returns: path (draw it), gene, log2fc, pagerank, community.
MATCH (:Patient {id: $patient_id})-[:HAS_TWIN]->(t:Twin {status: 'complete'})
WITH t ORDER BY t.version DESC LIMIT 1
MATCH path = (t)-[i:INCLUDES {in_module: true}]->(g:Protein)
RETURN path, g.symbol AS gene, i.log2fc AS log2fc, i.pagerank AS pagerank, i.community AS community
ORDER BY pagerank DESC
LIMIT 300
