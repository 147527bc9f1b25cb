"""The published site: the strict atomic build, its lock, the printed handouts and the Chromium they use."""
