// How many relationships the database holds (answered from the count store, not a scan).
// Parameters: none. Returns: n (int).
MATCH ()-[r]->() RETURN count(r) AS n
