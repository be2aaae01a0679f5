"""Device capabilities behind small ports: the only place besides app.ui and app.main that imports Flet."""
