"""Working tools for the networks: the quality self-assessment, the forum tracker, strategy
alignment, competence maps and the review flow. Each reads through `.rq` files in `rq/` and
writes whole record graphs through the Writer, so the quality gate judges every submission."""
