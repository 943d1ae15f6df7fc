#!/usr/bin/env python3
"""The Superset side of `make bi-demo` (bi/demo.sh runs it with bi/.venv/bin/python).

    superset_demo.py import      imports the dashboard bundle bi/dashboard/ with the database URI
                                 filled in, then syncs each dataset with the database: the columns
                                 get the views' column COMMENTs as descriptions, the datasets the
                                 views' COMMENTs
    superset_demo.py screenshot  logs in, opens the dashboard in headless Chromium through the
                                 DevTools protocol, waits until every chart has rendered, saves a PNG
    superset_demo.py build       creates the database, datasets, charts and the dashboard through
                                 the REST API in an empty Superset and exports them into
                                 bi/dashboard/ (how the bundle was made; `bi/demo.sh --rebuild`)

Connection: --url (the Superset server) and CRM_BI_ADMIN_USER / CRM_BI_ADMIN_PASSWORD; the
database: --db-uri, a SQLAlchemy URI (postgresql+psycopg2://user@host:port/db).
Needs only what Superset installs: requests, websocket-client (a Selenium dependency), psycopg2, yaml.
"""
import argparse
import base64
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

import psycopg2
import requests
import websocket
import yaml

HERE = Path(__file__).resolve().parent
BUNDLE = HERE / "dashboard"
SLUG = "crm-ext"
DATABASE_NAME = "crm_bi"
URI_PLACEHOLDER = "${CRM_BI_SQLALCHEMY_URI}"


def log(msg):
    print(f"superset_demo: {msg}", file=sys.stderr, flush=True)


def stable_uuid(kind, name):
    """The same UUID on every build, so that a rebuilt bundle diffs cleanly."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://github.com/crm_ext/bi/{kind}/{name}"))


# --------------------------------------------------------------------------------------------
# REST API session


def login(base):
    """A requests session logged in through the login form (a session cookie, as a browser has)
    with the CSRF header the REST API wants for writes."""
    user = os.environ.get("CRM_BI_ADMIN_USER", "admin")
    password = os.environ["CRM_BI_ADMIN_PASSWORD"]
    s = requests.Session()
    page = s.get(f"{base}/login/", timeout=30)
    page.raise_for_status()
    m = re.search(r'name="csrf_token"\s+id="csrf_token"\s+value="([^"]+)"', page.text)
    if not m:
        sys.exit("superset_demo: no csrf_token on the login page")
    r = s.post(f"{base}/login/", data={"username": user, "password": password, "csrf_token": m.group(1)},
               allow_redirects=False, timeout=30)
    if r.status_code != 302 or "/login" in r.headers.get("Location", ""):
        sys.exit(f"superset_demo: login as {user} failed (HTTP {r.status_code})")
    s.headers["Referer"] = base
    s.headers["X-CSRFToken"] = api(s, base, "GET", "/api/v1/security/csrf_token/")["result"]
    return s


def api(s, base, method, path, **kw):
    r = s.request(method, base + path, timeout=120, **kw)
    if r.status_code >= 400:
        sys.exit(f"superset_demo: {method} {path}: HTTP {r.status_code}: {r.text[:2000]}")
    return r.json() if r.headers.get("Content-Type", "").startswith("application/json") else r


def libpq_uri(sqlalchemy_uri):
    return re.sub(r"^postgresql\+psycopg2://", "postgresql://", sqlalchemy_uri)


def view_comments(db_uri):
    """{view name: COMMENT} of the views and materialized views of schema public."""
    with psycopg2.connect(libpq_uri(db_uri)) as conn, conn.cursor() as cur:
        cur.execute("""SELECT c.relname, obj_description(c.oid, 'pg_class')
                       FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
                         AND c.relkind IN ('v', 'm')""")
        return dict(cur.fetchall())


def sync_datasets(s, base, db_uri, dashboard):
    """Refreshes the columns of the dashboard's datasets from the database (Superset copies each
    column's COMMENT into its description) and sets each dataset's description to its view's COMMENT."""
    comments = view_comments(db_uri)
    datasets = api(s, base, "GET", f"/api/v1/dashboard/{dashboard}/datasets")["result"]
    for ds in datasets:
        api(s, base, "PUT", f"/api/v1/dataset/{ds['id']}/refresh")
        comment = comments.get(ds["table_name"])
        if comment:
            api(s, base, "PUT", f"/api/v1/dataset/{ds['id']}", json={"description": comment})
        cols = api(s, base, "GET", f"/api/v1/dataset/{ds['id']}")["result"]["columns"]
        described = sum(1 for c in cols if c.get("description"))
        log(f"dataset {ds['table_name']}: {described} of {len(cols)} columns described")
    return datasets


# --------------------------------------------------------------------------------------------
# import


def bundle_zip(db_uri):
    """bi/dashboard/ as the zip file Superset imports (one root folder), the database URI filled in."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for path in sorted(BUNDLE.rglob("*.yaml")):
            text = path.read_text()
            if URI_PLACEHOLDER in text:
                text = text.replace(URI_PLACEHOLDER, db_uri)
            z.writestr(f"crm_bi_dashboard/{path.relative_to(BUNDLE)}", text)
    return buf.getvalue()


def cmd_import(args):
    s = login(args.url)
    api(s, args.url, "POST", "/api/v1/dashboard/import/",
        files={"formData": ("crm_bi_dashboard.zip", bundle_zip(args.db_uri), "application/zip")},
        data={"overwrite": "true"})
    dash = api(s, args.url, "GET", f"/api/v1/dashboard/{SLUG}")["result"]
    log(f"imported dashboard {dash['dashboard_title']!r} (id {dash['id']}, {len(dash.get('charts', []))} charts)")
    sync_datasets(s, args.url, args.db_uri, SLUG)


# --------------------------------------------------------------------------------------------
# build: the dashboard's definition


def metric(column, aggregate, label):
    return {"expressionType": "SIMPLE", "column": {"column_name": column}, "aggregate": aggregate,
            "label": label, "hasCustomLabel": True, "optionName": f"metric_{column}_{aggregate.lower()}"}


def equals(column, value):
    return {"clause": "WHERE", "expressionType": "SIMPLE", "subject": column, "operator": "==",
            "comparator": value}


def no_time_filter(column):
    return {"clause": "WHERE", "expressionType": "SIMPLE", "subject": column,
            "operator": "TEMPORAL_RANGE", "comparator": "No filter"}


# Each chart: (key, dataset, title, description, form data). The keys name the layout's cells.
CHARTS = [
    ("rfm_segments", "flo_rfm_segment_summary", "FLO: customers per RFM segment",
     "Customers of each RFM segment of the course's map (flo_rfm_segment_summary, sql/examples/flo_rfm.sql).",
     {"viz_type": "echarts_timeseries_bar", "x_axis": "display_name",
      "metrics": [metric("customers", "SUM", "Customers")], "groupby": [], "adhoc_filters": [],
      "orientation": "horizontal", "x_axis_sort": "Customers", "x_axis_sort_asc": True,
      "show_value": True, "show_legend": False, "row_limit": 100, "y_axis_format": "SMART_NUMBER",
      "color_scheme": "supersetColors", "truncateXAxis": True}),
    ("cltv_share", "flo_cltv_segment_summary", "FLO: 6-month CLV share per CLV segment (TRY)",
     "Total 6-month CLV of each CLV segment A (best quartile) .. D (flo_cltv_segment_summary, sql/examples/flo_cltv.sql).",
     {"viz_type": "pie", "groupby": ["cltv_segment"], "metric": metric("cltv_total", "SUM", "CLV (TRY)"),
      "adhoc_filters": [], "row_limit": 100, "donut": True, "innerRadius": 40, "outerRadius": 75,
      "show_labels": True, "label_type": "key_percent", "labels_outside": True, "label_line": True,
      "show_legend": True, "legendOrientation": "top", "number_format": "SMART_NUMBER",
      "color_scheme": "supersetColors", "sort_by_metric": False}),
    ("cohorts", "retail_cohorts", "Online Retail: monthly cohort retention (months since the first order)",
     "Share of each monthly cohort (month of the first order) ordering again n months later (retail_cohorts, sql/examples/retail_cohorts.sql).",
     {"viz_type": "heatmap_v2", "x_axis": "period_index", "groupby": "cohort",
      "metric": metric("retention", "MAX", "Retention"), "adhoc_filters": [], "row_limit": 1000,
      "linear_color_scheme": "schemeBlues", "normalize_across": "heatmap", "value_bounds": [0, 0.5],
      "show_values": True, "show_legend": True, "show_percentage": False, "y_axis_format": ".0%",
      "sort_x_axis": "alpha_asc", "sort_y_axis": "alpha_desc", "x_axis_time_format": "%Y-%m",
      "xscale_interval": -1, "yscale_interval": -1, "left_margin": "auto", "bottom_margin": "auto"}),
    ("revenue", "retail_kpis_monthly", "Online Retail: monthly revenue (GBP)",
     "Sum of the cleaned invoice lines per month; December 2011 is partial (retail_kpis_monthly, sql/examples/retail_kpis.sql).",
     {"viz_type": "echarts_timeseries_bar", "x_axis": "period_start", "time_grain_sqla": "P1M",
      "metrics": [metric("revenue", "SUM", "Revenue (GBP)")], "groupby": [],
      "adhoc_filters": [no_time_filter("period_start")], "row_limit": 1000, "show_legend": False,
      "y_axis_format": "SMART_NUMBER", "x_axis_time_format": "%b %Y", "orientation": "vertical",
      "color_scheme": "supersetColors", "truncateXAxis": True}),
    ("tracking", "cdnow_tracking", "CDNOW: weekly repeat purchases, actual vs BG/NBD (calibration to 1997-09-30)",
     "Repeat purchase days per week from 1997-01-01 and what the BG/NBD model fitted on the calibration period expects; the holdout runs 1997-10-01 .. 1998-06-30 (cdnow_tracking, model = bgnbd, sql/examples/cdnow_validation.sql).",
     {"viz_type": "echarts_timeseries_line", "x_axis": "week_start", "time_grain_sqla": None,
      "metrics": [metric("actual", "SUM", "Actual"), metric("expected", "SUM", "Expected (BG/NBD)")],
      "groupby": [], "adhoc_filters": [no_time_filter("week_start"), equals("model", "bgnbd")],
      "row_limit": 1000, "show_legend": True, "legendOrientation": "top", "y_axis_format": "SMART_NUMBER",
      "x_axis_time_format": "%b %Y", "rich_tooltip": True, "markerEnabled": False,
      "color_scheme": "supersetColors", "truncateXAxis": True}),
    ("calibration_holdout", "cdnow_calibration_holdout", "CDNOW: holdout purchases per customer by calibration frequency",
     "Mean repeat purchases per customer in the 39-week holdout, actual vs BG/NBD, by repeat purchases in the calibration period (cdnow_calibration_holdout, model = bgnbd).",
     {"viz_type": "echarts_timeseries_bar", "x_axis": "bucket",
      "metrics": [metric("actual_mean", "SUM", "Actual"), metric("predicted_mean", "SUM", "Predicted (BG/NBD)")],
      "groupby": [], "adhoc_filters": [equals("model", "bgnbd")], "row_limit": 100,
      "x_axis_sort": "bucket", "x_axis_sort_asc": True, "orientation": "vertical",
      "show_legend": True, "legendOrientation": "top", "y_axis_format": ".2f",
      "x_axis_title": "repeat purchases in the calibration period", "x_axis_title_margin": 30,
      "color_scheme": "supersetColors", "truncateXAxis": True}),
    ("holdout_metrics", "cdnow_holdout_metrics", "CDNOW: holdout errors per purchase model",
     "Holdout totals and per-customer errors of BG/NBD, MBG/NBD and Pareto/NBD (cdnow_holdout_metrics).",
     {"viz_type": "table", "query_mode": "raw",
      "all_columns": ["model_name", "actual_total", "predicted_total", "mae", "rmse", "mean_bias", "brier_p_alive"],
      "adhoc_filters": [], "row_limit": 100, "order_by_cols": [], "server_pagination": False,
      "table_timestamp_format": "smart_date", "include_search": False, "show_cell_bars": False,
      "column_config": {c: {"d3NumberFormat": ".3f"} for c in
                        ["predicted_total", "mae", "rmse", "mean_bias", "brier_p_alive"]}}),
]

INTRO = """\
**crm_ext example views** (`sql/examples/*.sql`, loaded by `make bi-demo`): RFM and CLV segments of
FLO, cohorts and KPIs of Online Retail, and the CDNOW purchase models checked against the holdout.
Every dataset is a view of the `crm_bi` database; the column descriptions are the views' COMMENTs."""

# Rows of (chart key, width of 12) and a height in grid units (8 px).
LAYOUT = [
    ([("rfm_segments", 7), ("cltv_share", 5)], 52),
    ([("cohorts", 7), ("revenue", 5)], 56),
    ([("tracking", 7), ("calibration_holdout", 5)], 52),
    ([("holdout_metrics", 12)], 26),
]
DASHBOARD_TITLE = "crm_ext: customer analytics (FLO, Online Retail, CDNOW)"


def position_json(chart_ids):
    pos = {"DASHBOARD_VERSION_KEY": "v2",
           "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
           "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
           "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": DASHBOARD_TITLE}}}

    def row(name, cells):
        pos["GRID_ID"]["children"].append(name)
        pos[name] = {"type": "ROW", "id": name, "children": [c for c, _ in cells],
                     "parents": ["ROOT_ID", "GRID_ID"], "meta": {"background": "BACKGROUND_TRANSPARENT"}}
        for cell, meta in cells:
            pos[cell] = {"type": meta.pop("type"), "id": cell, "children": [],
                         "parents": ["ROOT_ID", "GRID_ID", name], "meta": meta}

    row("ROW-intro", [("MARKDOWN-intro", {"type": "MARKDOWN", "width": 12, "height": 14, "code": INTRO})])
    titles = {key: title for key, _, title, _, _ in CHARTS}
    for i, (cells, height) in enumerate(LAYOUT):
        row(f"ROW-{i}", [(f"CHART-{key}", {"type": "CHART", "chartId": chart_ids[key], "width": width,
                                           "height": height, "sliceName": titles[key]})
                         for key, width in cells])
    return pos


def cmd_build(args):
    s = login(args.url)
    db = api(s, args.url, "POST", "/api/v1/database/",
             json={"database_name": DATABASE_NAME, "sqlalchemy_uri": args.db_uri, "expose_in_sqllab": True,
                   "uuid": stable_uuid("database", DATABASE_NAME)})["id"]
    datasets = {}
    for name in sorted({ds for _, ds, _, _, _ in CHARTS}):
        datasets[name] = api(s, args.url, "POST", "/api/v1/dataset/",
                             json={"database": db, "schema": "public", "table_name": name,
                                   "uuid": stable_uuid("dataset", name)})["id"]
    dash = api(s, args.url, "POST", "/api/v1/dashboard/",
               json={"dashboard_title": DASHBOARD_TITLE, "slug": SLUG, "published": True,
                     "uuid": stable_uuid("dashboard", SLUG)})["id"]
    chart_ids = {}
    for key, ds, title, description, form in CHARTS:
        params = dict(form, datasource=f"{datasets[ds]}__table")
        chart_ids[key] = api(s, args.url, "POST", "/api/v1/chart/",
                             json={"slice_name": title, "description": description, "viz_type": form["viz_type"],
                                   "datasource_id": datasets[ds], "datasource_type": "table",
                                   "params": json.dumps(params), "dashboards": [dash],
                                   "uuid": stable_uuid("chart", key)})["id"]
    metadata = {"positions": position_json(chart_ids), "color_scheme": "supersetColors",
                "refresh_frequency": 0, "cross_filters_enabled": False, "native_filter_configuration": [],
                "expanded_slices": {}, "label_colors": {}, "timed_refresh_immune_slices": []}
    api(s, args.url, "PUT", f"/api/v1/dashboard/{dash}", json={"json_metadata": json.dumps(metadata)})
    sync_datasets(s, args.url, args.db_uri, dash)
    export = api(s, args.url, "GET", f"/api/v1/dashboard/export/?q=!({dash})")
    write_bundle(export.content, args.db_uri)


def write_bundle(zip_bytes, db_uri):
    """Unpacks an export into bi/dashboard/ (without its root folder), the database URI templated."""
    if BUNDLE.exists():
        shutil.rmtree(BUNDLE)
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as z:
        for name in z.namelist():
            rel = Path(*Path(name).parts[1:])
            rel = rel.with_name(re.sub(r"_\d+\.yaml$", ".yaml", rel.name))  # without the export's ids
            text = z.read(name).decode()
            if rel.parts[0] == "datasets":
                # the default catalog: the database of the URI, whatever its name
                text = re.sub(r"^catalog: .*$", "catalog: null", text, flags=re.M)
            if rel.parts[0] == "databases":
                doc = yaml.safe_load(text)
                text = text.replace(doc["sqlalchemy_uri"], URI_PLACEHOLDER)
                text = (f"# sqlalchemy_uri is filled in by bi/superset_demo.py import (the throwaway cluster of\n"
                        f"# bi/demo.sh; e.g. postgresql+psycopg2://crm_bi_reader@127.0.0.1:54330/crm_bi).\n") + text
            if rel.name == "metadata.yaml":
                text = re.sub(r"^timestamp: .*$", "timestamp: '1970-01-01T00:00:00+00:00'", text, flags=re.M)
            (BUNDLE / rel).parent.mkdir(parents=True, exist_ok=True)
            (BUNDLE / rel).write_text(text)
    log(f"exported the bundle into {BUNDLE}: " + ", ".join(
        f"{len(list((BUNDLE / d).rglob('*.yaml')))} {d}" for d in ("databases", "datasets", "charts", "dashboards")))


# --------------------------------------------------------------------------------------------
# screenshot: headless Chromium driven through the DevTools protocol


class DevTools:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def evaluate(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return r.get("result", {}).get("value")


# What the page shows: charts placed, charts drawn (an ECharts canvas or a table with rows),
# spinners, error alerts, and whether it is the login page.
PAGE_STATE_JS = """(() => {
  const holders = [...document.querySelectorAll('.dashboard-component-chart-holder[class*="dashboard-chart-id-"]')];
  const drawn = holders.filter(h => h.querySelector('canvas, svg.echarts, table tbody tr')).length;
  return JSON.stringify({
    url: location.pathname,
    charts: holders.length,
    drawn: drawn,
    loading: document.querySelectorAll('.loading, [data-test="loading-indicator"]').length,
    errors: [...document.querySelectorAll('.dashboard-component-chart-holder [role="alert"]')]
              .map(e => e.innerText.slice(0, 200)),
    height: Math.ceil(document.documentElement.scrollHeight),
  });
})()"""


def wait_rendered(dt, expected, timeout):
    """Polls the page until every chart is drawn, nothing is loading and that has held for three
    seconds (the ECharts entry animations are over); the last state, with ok = whether it got there."""
    deadline, state, quiet = time.time() + timeout, {}, 0
    while time.time() < deadline:
        time.sleep(1)
        state = json.loads(dt.evaluate(PAGE_STATE_JS) or "{}")
        if state.get("url", "").startswith("/login"):
            sys.exit("superset_demo: Chromium was sent to the login page: the session cookie was not accepted")
        if state.get("errors"):
            break
        done = state.get("charts") == expected and state.get("drawn", 0) >= expected and not state.get("loading")
        quiet = quiet + 1 if done else 0
        if quiet >= 3:
            return dict(state, ok=True)
    return dict(state, ok=False)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cmd_screenshot(args):
    s = login(args.url)
    expected = len(api(s, args.url, "GET", f"/api/v1/dashboard/{SLUG}/charts")["result"])
    cookie = s.cookies.get("session")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or sys.exit("no chromium")
    port = free_port()
    profile = tempfile.mkdtemp(prefix="crm_bi_chromium.")
    width, height = args.width, args.height
    cmd = [chromium, "--headless=new", f"--remote-debugging-port={port}", f"--user-data-dir={profile}",
           f"--window-size={width},{height}", "--hide-scrollbars", "--disable-gpu", "--no-first-run",
           "--disable-extensions", "--disable-dev-shm-usage", "about:blank"]
    if os.geteuid() == 0:
        cmd.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    browser = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                pages = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=2).json()
                page = next(p for p in pages if p["type"] == "page")
                break
            except (requests.RequestException, StopIteration, ValueError):
                time.sleep(0.2)
        else:
            sys.exit("superset_demo: Chromium's DevTools endpoint did not come up")
        dt = DevTools(page["webSocketDebuggerUrl"])
        dt.call("Network.enable")
        dt.call("Network.setCookie", name="session", value=cookie, url=args.url, httpOnly=True)
        dt.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        dt.call("Page.enable")
        url = f"{args.url}/superset/dashboard/{SLUG}/?standalone=1"
        dt.call("Page.navigate", url=url)
        log(f"waiting for {expected} charts at {url}")
        state = wait_rendered(dt, expected, args.timeout)
        # the whole dashboard in one image: a viewport as tall as the page (Superset lays the
        # charts out again for the new size: wait for them once more)
        full = max(height, state.get("height") or height)
        if full > height:
            dt.call("Emulation.setDeviceMetricsOverride", width=width, height=full, deviceScaleFactor=1, mobile=False)
            state = wait_rendered(dt, expected, 60)
        png = dt.call("Page.captureScreenshot", format="png")["data"]
        Path(args.output).write_bytes(base64.b64decode(png))
        log(f"saved {args.output} ({width}x{full}): {state.get('drawn')} of {expected} charts drawn"
            + (f", errors: {state['errors']}" if state.get("errors") else ""))
        if not state.get("ok"):
            sys.exit(f"superset_demo: the dashboard did not render completely: {state}")
    finally:
        browser.terminate()
        try:
            browser.wait(10)
        except subprocess.TimeoutExpired:
            browser.kill()
        for _ in range(10):  # its helper processes may still be writing to the profile
            shutil.rmtree(profile, ignore_errors=True)
            if not os.path.exists(profile):
                break
            time.sleep(0.5)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["import", "screenshot", "build"])
    p.add_argument("--url", required=True, help="the Superset server, e.g. http://127.0.0.1:8088")
    p.add_argument("--db-uri", help="SQLAlchemy URI of the crm_bi database (import, build)")
    p.add_argument("--output", default=str(HERE / "dashboard.png"), help="screenshot file")
    p.add_argument("--width", type=int, default=1600)
    p.add_argument("--height", type=int, default=1200)
    p.add_argument("--timeout", type=int, default=180, help="seconds to wait for the charts")
    args = p.parse_args()
    args.url = args.url.rstrip("/")
    if args.command in ("import", "build") and not args.db_uri:
        p.error("--db-uri is required")
    {"import": cmd_import, "screenshot": cmd_screenshot, "build": cmd_build}[args.command](args)


if __name__ == "__main__":
    main()
