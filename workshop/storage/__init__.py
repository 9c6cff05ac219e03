"""Storage: the one package that talks to the database.

- `connections`: which database a target names (`connect`, `describe`), over
  `duckdb_file` (the embedded file, its erasure rewrite) and `postgres` (a pool, LISTEN/NOTIFY);
- `protocol`: what a connection offers (`Database`, `Transaction`, `DatabaseInUse`);
- `schema`: versioned migrations and the statements that differ between the two;
- `writer`: the group-commit writer (acknowledged means stored);
- `upserts`: the multi-row writes (answers, joins, moderation), one statement per chunk;
- `events`: what one server tells the others;
- `store`: every query, behind `Store`.
"""
