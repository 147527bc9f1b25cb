"""Placeholder until the engine lands: rule checks run here."""


def check_corpus(corpus):
    return []
