"""Inputs: files in, validated frames out (codebook, registry, survey, synthetic data)."""
