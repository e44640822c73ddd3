"""Load and fault test of the multi-instance deployment: ``python -m bench.load``.

Everything runs on this machine and talks only to 127.0.0.1:

1. a fresh store (a SQLite file in a temporary folder, seeded from ``data/``; or
   ``--database-url``, e.g. a scratch PostgreSQL database) shared by all instances;
2. ``--instances`` × ``streamlit run app.py`` with ``deploy/Procfile``'s flags on free loopback
   ports, each warmed once through ``/_stcore/script-health-check`` (a script run without a
   browser session), so "RSS with no session" is the warm process (:mod:`.instances`);
3. nginx in the foreground with ``deploy/nginx.conf`` itself (ports, access log rewritten; an
   ``X-Shizhong-Upstream`` response header added so the test can tell which instance
   answered) (:mod:`.proxy`);
4. one headless Chromium (Debian's, never ``playwright install``) with ``--viewers`` browser
   contexts through nginx, spread evenly over the instances (each context gets a route cookie
   that nginx hashes to the wanted instance, found by asking nginx); every request to another
   host is aborted and counted as an error (:mod:`.viewers`);
5. each viewer loops for ``--minutes``: waits a think time, then adds a random subdistrict to
   the sidebar's 街道 filter or clears it, and waits until the map shows the expected number
   of site markers (counted from the store) and has painted: that is one rerun's latency;
6. halfway, a site is renamed through :class:`geo.store.records.Store` (as an editor would through
   instance 1) and a viewer on the last instance must show the new name in that site's
   marker on its very next rerun (cache keyed by the store's ``data_version``);
7. or, with ``--faults``, one fault per run instead: an instance paused, an instance killed,
   the PostgreSQL server restarted, and what each viewer saw of it (:mod:`.faults`);
8. the figures (:mod:`.report`): errors, stickiness breaks, p50/p95 and their ratio, the
   server's CPU per filter change, memory per session, the machine's load before and during.

Errors (all must be 0): a timeout, an exception shown by the app (``stException``), a console
or page error (except Streamlit's base-path probes on a deep link), a failed or foreign
request, an HTTP status ≥ 400, a WebSocket closed before the end, the cross-instance edit not
seen. During a fault, the problems of the viewers it disturbs are its own figures, reported
apart. A response answered by another instance than the viewer's, or retried by nginx on
another upstream, is a stickiness break: counted, never a crash.

Bounded: each viewer stops at the deadline or after ``--max-actions``, each wait has a
timeout, the whole run a hard limit; every process started here is stopped at the end.
"""

from bench.load.instances import instance_flags
from bench.load.plan import FAULTS, LoadConfig, Plan
from bench.load.proxy import (
    NGINX_CONF,
    access_log_routes,
    main_config,
    nginx_binary,
    site_config,
    split_upstreams,
)
from bench.load.report import runs_table, stickiness, summarise, table
from bench.load.runner import run

__all__ = [
    "FAULTS",
    "NGINX_CONF",
    "LoadConfig",
    "Plan",
    "access_log_routes",
    "instance_flags",
    "main_config",
    "nginx_binary",
    "run",
    "runs_table",
    "site_config",
    "split_upstreams",
    "stickiness",
    "summarise",
    "table",
]
