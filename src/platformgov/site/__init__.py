"""Site: the Sphinx extension, formula typesetting, the build of both editions, serving and browser checks."""
