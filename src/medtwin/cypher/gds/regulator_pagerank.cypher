// Personalised PageRank with a weighted restart vector at the seeds, by linearity:
// PR_w(v) = sum_s w_s PR_s(v) (sum_s w_s = 1), PR_s being the cached column of seed s
// (gds/regulator_pagerank_column; GDS 2.13 restarts only uniformly over `sourceNodes`).
// Parameters: $graph_name, $ids (list<string>: the seeds' Entrez ids), $columns (list<map>:
// property string, weight float). Returns: id (string), score (float).
UNWIND $ids AS id
MATCH (v:Protein {id: id})
UNWIND $columns AS c
WITH v, sum(c.weight * gds.util.nodeProperty($graph_name, v, c.property)) AS score
RETURN v.id AS id, score
