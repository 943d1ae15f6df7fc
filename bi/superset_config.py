# Superset configuration of `make bi-demo` (bi/demo.sh points SUPERSET_CONFIG_PATH here): a local,
# throwaway Superset on 127.0.0.1 for the crm_ext example views. Not a production configuration.
#
# bi/demo.sh sets SUPERSET_HOME (the metadata database, SQLite: $SUPERSET_HOME/superset.db, which
# Superset's defaults derive from it) and SUPERSET_SECRET_KEY (random for each run: the metadata
# database is recreated on every run, so nothing encrypted with the key outlives it).
import os

SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]

# Access is by login only (the admin user bi/demo.sh creates): the Public role keeps Superset's
# default of no permissions (no PUBLIC_ROLE_LIKE) and there are no guest tokens. For the
# screenshot, bi/superset_demo.py logs in with the login form and hands the session cookie to
# Chromium.

FEATURE_FLAGS = {
    # Render every chart of the dashboard, not only those in the viewport: the screenshot shows
    # the whole dashboard.
    "DASHBOARD_VIRTUALIZATION": False,
}

# One process, no Redis: keep the login rate limiter in memory (and quiet about it).
RATELIMIT_STORAGE_URI = "memory://"

# The example views compute models on read (e.g. retail_cohorts, cdnow_tracking): allow a minute.
SQLLAB_TIMEOUT = 120
SUPERSET_WEBSERVER_TIMEOUT = 120
