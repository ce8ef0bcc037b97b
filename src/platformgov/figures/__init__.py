"""The book's figures, one module per chapter. Each function takes data and ``lang`` and returns
a matplotlib Axes or Figure whose every word comes from the label table."""
