"""Platform government in Korean local governments: data, measures and models for the book."""

__version__ = "0.1.0"
