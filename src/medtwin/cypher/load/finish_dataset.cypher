// Mark a dataset complete with its row counts.
// Parameters: $id (string), $counts (list<string> "kind=rows", sorted: store/dataset_node.py
// count_lines), $rows (int: their sum), $seconds (float). Returns: id.
MATCH (d:Dataset {id: $id})
SET d.status = 'complete', d.loaded_at = datetime(), d.load_seconds = $seconds,
    d.counts = $counts, d.rows = $rows
RETURN d.id AS id
