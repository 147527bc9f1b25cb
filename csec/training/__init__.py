"""Training built on the engine: answer keys, grading and feedback, generated questions."""
