"""Repository: SQLAlchemy Core queries, one module per aggregate; no HTTP and no policy here."""
