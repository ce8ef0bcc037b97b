"""Analysis: frames in, numbers and fitted results out. Nothing here knows a language."""
