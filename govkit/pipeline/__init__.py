"""The pipeline: a file of sources and outputs run through the stages, published all or nothing."""
