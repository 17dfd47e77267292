// How many patients there are (the count store answers it; no scan).
// Parameters: none. Returns: n.
MATCH (p:Patient)
RETURN count(p) AS n
