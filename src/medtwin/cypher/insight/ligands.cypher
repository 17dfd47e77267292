// Proteins that are ligands in the cell–cell layer (liana consensus: secreted or membrane-bound), for
// flagging biomarkers measurable in blood.
// Parameters: $ids (list<string>, Entrez ids to check). Returns: id.
MATCH (l:Protein)-[:BINDS]->(:Protein)
WHERE l.id IN $ids
RETURN DISTINCT l.id AS id
