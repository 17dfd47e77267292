// Proteins that are ligands in the cell–cell layer (LIANA's consensus resource), for the biomarkers' ligand
// flag. The resource holds intracellular proteins too (LCK -> CD8A_CD8B): no claim of being in blood.
// Parameters: $ids (list<string>, Entrez ids to check). Returns: id.
MATCH (l:Protein)-[:BINDS]->(:Protein)
WHERE l.id IN $ids
RETURN DISTINCT l.id AS id
