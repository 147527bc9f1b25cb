"""The rules engine: one interpreter of the rules-as-data for answers, words, checks and the player JSON."""
