"""Content text (safe MyST) and answers rendered to HTML for the widgets, the player and the exports."""
