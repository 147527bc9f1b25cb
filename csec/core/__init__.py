"""The vocabulary every layer shares: errors, the content model, the corpus and its references, deadlines."""
