"""Chapters: one module per page, turning analysis results into that page's bilingual tables and prose numbers."""
