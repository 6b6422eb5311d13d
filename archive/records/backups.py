"""What a backup needs of the database besides Django: a libpq connection string for
PostgreSQL's own tools (pg_dump, psql)."""

from django.db import connection


def dsn():
    """A libpq connection string for the default database (for pg_dump and psql)."""
    from psycopg.conninfo import make_conninfo

    db = connection.settings_dict
    keys = {
        "NAME": "dbname",
        "HOST": "host",
        "PORT": "port",
        "USER": "user",
        "PASSWORD": "password",
    }
    return make_conninfo(**{key: db[name] for name, key in keys.items() if db.get(name)})
