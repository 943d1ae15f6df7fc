#!/usr/bin/env python3
"""Runs the SQL examples of Markdown files against a database and checks their outputs.

    python3 scripts/doctest.py --dbname crm_doctest docs/reference/*.md

In the style of timescaledb-toolkit's sql-doctester. Every ```sql block of a file is run, in
order, in one psql session per file (so a block sees the objects of the blocks before it), inside
a transaction that is rolled back at the end (psql's ON_ERROR_ROLLBACK keeps it going after an
expected error): a file sees the database as it was, and leaves it as it was. Objects it creates
go to a schema of its own at the front of the search_path, so files run at the same time
(--jobs) do not wait for each other's uncommitted views of the same name.

The expected output of a statement is written as comment lines right after it:

    ```sql
    SELECT customer_id, round(cltv::numeric, 2) AS cltv FROM ... LIMIT 2;
    --  customer_id | cltv
    --  a           | 12.50
    --  ...
    ```

- cells are separated by `|` and compared one by one after trimming whitespace (NULL is an
  empty cell); the header line is optional (it is compared when the first line equals the column
  names); psql's `----+----` line and `(N rows)` are ignored;
- a line `--  ...` stands for any number of rows (at the end: a prefix match);
- `-- ERROR:  message (SQLSTATE)` expects that error: the message and the SQLSTATE are compared;
- a statement without comment lines after it is run but its output is not compared (setup); an
  error in it is a failure all the same.

HTML comments steer the run:

- `<!-- doctest setup: \\i sql/examples/cdnow_validation.sql -->` runs psql input (meta-commands or
  SQL, one or more lines) at that point of the file, output discarded, paths relative to the
  repository root; an error there stops the file;
- `<!-- doctest: skip <reason> -->` right before a ```sql block does not run it (a reason is
  required).

Format mistakes are failures too: a comment after `;` on the statement's line (ambiguous: output
or remark?), comment lines not directly after a statement, a statement without `;`, and an
output table (a psql `---+---` line) in a block that is not ```sql, where it would not be checked.

Connection: --dbname and the usual libpq variables (PGHOST, PGPORT, PGUSER). The session uses
DateStyle 'ISO, MDY' and TimeZone UTC, whatever the server's defaults, so outputs are stable.
Prints a report per mismatch (file:line, the statement, expected and actual output), a line per
file (`ok FILE ...` or `not ok FILE ...`) and finally
`doctest: N statements checked in M files, K failed`; exits 1 when anything failed.
"""

import argparse
import concurrent.futures
import csv
import io
import os
import re
import secrets
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

FENCE = re.compile(r"^```\s*([A-Za-z0-9_+-]*)\s*$")
DOCTEST_COMMENT = re.compile(r"<!--\s*doctest\b(.*?)-->", re.S)
SEPARATOR = re.compile(r"^\s*-{3,}(\+-+)*\s*$")
ROW_COUNT = re.compile(r"^\s*\(\d+ rows?\)\s*$")
ERROR_LINE = re.compile(r"^\s*ERROR:\s+(.*?)\s+\(([0-9A-Z]{5})\)\s*$")
WILDCARD = "..."


class FormatError(Exception):
    def __init__(self, lineno, message):
        super().__init__(message)
        self.lineno = lineno
        self.message = message


class Statement:
    def __init__(self, path, lineno, sql, expected):
        self.path, self.lineno, self.sql = path, lineno, sql
        self.expected = expected  # list of (lineno, text after "--"); empty: not compared
        self.items = parse_expected(expected) if expected else None


class Setup:
    def __init__(self, path, lineno, commands):
        self.path, self.lineno, self.commands = path, lineno, commands


def parse_expected(lines):
    """Returns ("error", message, sqlstate) or ("rows", [row cells | WILDCARD, ...])."""
    items = []
    for lineno, text in lines:
        m = ERROR_LINE.match(text)
        if m:
            if len(lines) != 1:
                raise FormatError(lineno, "an expected ERROR must be the only output line of its statement")
            return ("error", m.group(1), m.group(2))
        if text.strip().startswith("ERROR:"):
            raise FormatError(lineno, "an expected error is written '-- ERROR:  message (SQLSTATE)'")
        if text.strip() == WILDCARD:
            items.append(WILDCARD)
        elif SEPARATOR.match(text) or ROW_COUNT.match(text):
            continue
        else:
            items.append([cell.strip() for cell in text.split("|")])
    return ("rows", items)


def split_statements(path, text, first_lineno):
    """Splits the text of a ```sql block into Statements. first_lineno: file line of its first line."""
    statements = []
    n = len(text)
    pos = 0
    start = None  # offset where the current statement's text (comments included) starts
    code_start = None  # offset of its first character that is not a comment

    def lineno_at(offset):
        return first_lineno + text.count("\n", 0, offset)

    while pos < n:
        c = text[pos]
        nxt = text[pos + 1] if pos + 1 < n else ""
        if start is None:
            if c.isspace():
                pos += 1
                continue
            start = pos
        if c == "-" and nxt == "-":
            eol = text.find("\n", pos)
            pos = n if eol < 0 else eol
            continue
        if c == "/" and nxt == "*":
            depth, pos = 1, pos + 2
            while pos < n and depth:
                if text.startswith("/*", pos):
                    depth, pos = depth + 1, pos + 2
                elif text.startswith("*/", pos):
                    depth, pos = depth - 1, pos + 2
                else:
                    pos += 1
            continue
        if c.isspace():
            pos += 1
            continue
        if code_start is None:
            code_start = pos
        if c == "'":
            escapes = pos > 0 and text[pos - 1] in "eE" and (pos < 2 or not (text[pos - 2].isalnum() or text[pos - 2] == "_"))
            pos += 1
            while pos < n:
                if escapes and text[pos] == "\\":
                    pos += 2
                elif text[pos] == "'":
                    if text.startswith("''", pos):
                        pos += 2
                    else:
                        break
                else:
                    pos += 1
            pos += 1
            continue
        if c == '"':
            pos += 1
            while pos < n:
                if text.startswith('""', pos):
                    pos += 2
                elif text[pos] == '"':
                    break
                else:
                    pos += 1
            pos += 1
            continue
        if c == "$" and not (pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] == "_")):
            m = re.match(r"\$([A-Za-z_][A-Za-z_0-9]*)?\$", text[pos:])
            if m:
                tag = m.group(0)
                end = text.find(tag, pos + len(tag))
                pos = n if end < 0 else end + len(tag)
                continue
        if c == ";":
            sql = text[start:pos + 1]
            lineno = lineno_at(code_start)
            eol = text.find("\n", pos)
            eol = n if eol < 0 else eol
            rest = text[pos + 1:eol]
            if rest.strip().startswith("--"):
                raise FormatError(lineno_at(pos), "comment after ';' on the statement's line: put the expected "
                                  "output on the lines after the statement, a remark before it")
            expected = []
            if not rest.strip():
                # the comment lines right after the statement's last line are its expected output
                pos = eol + 1
                while pos < n:
                    eol = text.find("\n", pos)
                    eol = n if eol < 0 else eol
                    line = text[pos:eol]
                    if not line.lstrip().startswith("--"):
                        break
                    expected.append((lineno_at(pos), line.lstrip()[2:]))
                    pos = eol + 1
            else:
                pos += 1
            statements.append(Statement(path, lineno, sql, expected))
            start = code_start = None
            continue
        pos += 1
    if start is not None:
        if code_start is not None:
            raise FormatError(lineno_at(code_start), "statement without a terminating ';'")
        raise FormatError(lineno_at(start), "comment lines that do not follow a statement directly "
                          "(a blank line or the end of the block comes first) are not checked")
    return statements


def parse_markdown(path):
    """Returns the file's Setups and Statements in order, and the number of skipped blocks."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    elements, skipped = [], 0
    pending_skip = None  # line of a skip comment waiting for its block
    i = 0
    while i < len(lines):
        line = lines[i]
        m = FENCE.match(line)
        if m:
            lang, open_line = m.group(1).lower(), i + 1
            j = i + 1
            while j < len(lines) and not FENCE.match(lines[j]):
                j += 1
            if j == len(lines):
                raise FormatError(open_line, "unclosed code block")
            body = lines[i + 1:j]
            if lang == "sql":
                if pending_skip is not None:
                    skipped += 1
                else:
                    elements.extend(split_statements(path, "\n".join(body), open_line + 1))
            else:
                if pending_skip is not None:
                    raise FormatError(pending_skip, "a doctest skip comment must come right before a ```sql block")
                for k, b in enumerate(body):
                    if SEPARATOR.match(b) and ("+" in b or re.match(r"^\s*-{3,}\s*$", b)) and k > 0:
                        raise FormatError(open_line + 1 + k, "a psql output table outside a ```sql block is not "
                                          "checked: write it as comment lines after its statement")
            pending_skip = None
            i = j + 1
            continue
        if "<!--" in line and "doctest" in line:
            # the comment may span lines
            j = i
            chunk = line
            while "-->" not in chunk and j + 1 < len(lines):
                j += 1
                chunk += "\n" + lines[j]
            cm = DOCTEST_COMMENT.search(chunk)
            if not cm:
                raise FormatError(i + 1, "unterminated doctest comment")
            body = cm.group(1)
            sm = re.match(r"\s*setup:(.*)$", body, re.S)
            km = re.match(r"\s*:\s*skip\b(.*)$", body, re.S)
            if sm:
                commands = sm.group(1).strip()
                if not commands:
                    raise FormatError(i + 1, "empty doctest setup comment")
                elements.append(Setup(path, i + 1, commands))
            elif km:
                if not km.group(1).strip(" \t\n:-—–()"):
                    raise FormatError(i + 1, "a doctest skip needs a reason: <!-- doctest: skip (reason) -->")
                pending_skip = i + 1
            else:
                raise FormatError(i + 1, "unknown doctest comment (use 'doctest setup: ...' or 'doctest: skip ...')")
            i = j + 1
            continue
        if pending_skip is not None and line.strip():
            raise FormatError(pending_skip, "a doctest skip comment must come right before a ```sql block")
        i += 1
    if pending_skip is not None:
        raise FormatError(pending_skip, "a doctest skip comment must come right before a ```sql block")
    return elements, skipped


def build_script(elements, nonce):
    out = ["\\set ON_ERROR_ROLLBACK on", "\\set ON_ERROR_STOP 1", "BEGIN;", f"CREATE SCHEMA doctest_{nonce};",
           "\\o /dev/null",
           f"SELECT set_config('search_path', 'doctest_{nonce}, ' || current_setting('search_path'), true);",
           "\\o", "\\set ON_ERROR_STOP 0"]
    for k, e in enumerate(elements):
        if isinstance(e, Setup):
            out += [f"\\echo @@{nonce} setup {k}", "\\set ON_ERROR_STOP 1", "\\o /dev/null", e.commands, "\\o",
                    "\\set ON_ERROR_STOP 0", f"\\echo @@{nonce} setupdone {k}"]
        else:
            out += [f"\\echo @@{nonce} begin {k}", e.sql, f"\\echo @@{nonce} status {k} :SQLSTATE",
                    "\\if :ERROR", f"\\echo @@{nonce} error {k}", "\\echo :LAST_ERROR_MESSAGE", "\\endif",
                    f"\\echo @@{nonce} end {k}"]
    out.append("ROLLBACK;")
    return "\n".join(out) + "\n"


def parse_output(stdout, nonce):
    """Returns {element index: result}; result = ("rows", header, rows) | ("error", message, sqlstate) | "setup"."""
    results = {}
    marker = re.compile(rf"^@@{nonce} (\w+) (\d+)(?: (\S+))?$")
    current, buf, state = None, [], None
    for line in stdout.split("\n"):
        m = marker.match(line)
        if not m:
            if current is not None:
                buf.append(line)
            continue
        what, k = m.group(1), int(m.group(2))
        if what == "setup":
            current, buf = k, []
        elif what == "setupdone":
            results[k] = "setup"
            current = None
        elif what == "begin":
            current, buf = k, []
        elif what == "status":
            state = m.group(3)
            table = list(csv.reader(io.StringIO("\n".join(buf)))) if any(buf) else []
            results[k] = ("rows", table[0] if table else [], table[1:])
            buf = []
        elif what == "error":
            buf = []
        elif what == "end":
            if state and state != "00000":
                results[k] = ("error", "\n".join(buf).strip(), state)
            current, state = None, None
    return results


def cells(row):
    """An output row's cells as the docs write them: split at '|' (a value may hold one), trimmed."""
    return [c.strip() for c in "|".join(row).split("|")]


def rows_match(items, rows):
    """Matches expected rows (with WILDCARD standing for any rows) against actual rows."""
    memo = {}

    def go(i, j):
        if (i, j) in memo:
            return memo[(i, j)]
        if i == len(items):
            r = j == len(rows)
        elif items[i] == WILDCARD:
            r = any(go(i + 1, jj) for jj in range(j, len(rows) + 1))
        else:
            r = j < len(rows) and items[i] == cells(rows[j]) and go(i + 1, j + 1)
        memo[(i, j)] = r
        return r

    return go(0, 0)


def first_difference(items, header, rows):
    for n, (e, a) in enumerate(zip(items, rows)):
        if e == WILDCARD:
            return None
        a = cells(a)
        if len(e) != len(a):
            return f"row {n + 1}: {len(e)} cells expected, {len(a)} in the output"
        for col, (x, y) in enumerate(zip(e, a)):
            if x != y:
                name = header[col] if col < len(header) else str(col + 1)
                return f"row {n + 1}, column {name}: expected {x!r}, got {y!r}"
    concrete = [e for e in items if e != WILDCARD]
    if WILDCARD not in items and len(items) != len(rows):
        return f"{len(items)} rows expected, {len(rows)} in the output"
    if len(concrete) > len(rows):
        return f"at least {len(concrete)} rows expected, {len(rows)} in the output"
    return None


def compare(stmt, result):
    """Returns None when the result matches the statement's expectation, else an explanation."""
    if result is None:
        return "not run: psql ended before this statement finished"
    if stmt.items is None:
        if result[0] == "error":
            return f"unexpected error in a statement without expected output: ERROR:  {result[1]} ({result[2]})"
        return None
    if stmt.items[0] == "error":
        _, message, state = stmt.items
        if result[0] != "error":
            return "an error was expected, the statement succeeded"
        if (result[1].strip(), result[2]) != (message, state):
            return "a different error"
        return None
    if result[0] == "error":
        return "unexpected error"
    items = stmt.items[1]
    _, header, rows = result
    if items and items[0] != WILDCARD and items[0] == cells(header):
        items = items[1:]
    if rows_match(items, rows):
        return None
    concrete = sum(1 for e in items if e != WILDCARD)
    return first_difference(items, header, rows) or \
        f"the rows differ ({concrete} rows and '...' expected, {len(rows)} rows in the output)"


def render_actual(result, limit=40):
    if result is None:
        return ["(nothing)"]
    if result[0] == "error":
        return [f"--  ERROR:  {result[1]} ({result[2]})"]
    _, header, rows = result
    if not header:
        return ["(no result rows: not a query)"]
    shown = rows[:limit]
    table = [header] + shown
    widths = [max(len(r[c]) if c < len(r) else 0 for r in table) for c in range(len(header))]
    numeric = re.compile(r"^-?\d+(\.\d+)?([eE][+-]?\d+)?$")
    # right-aligned as psql does for numbers: the columns whose every value looks like one
    right = [all(c >= len(r) or not r[c] or numeric.match(r[c]) for r in shown) for c in range(len(header))]

    def fmt(row, is_header):
        cells = []
        for c, w in enumerate(widths):
            v = row[c] if c < len(row) else ""
            cells.append(v.rjust(w) if right[c] and not is_header else v.ljust(w))
        return ("--  " + " | ".join(cells)).rstrip()

    out = [fmt(header, True)] + [fmt(r, False) for r in shown]
    if len(rows) > limit:
        out.append(f"--  ... ({len(rows)} rows in all)")
    return out


def indent(lines, prefix="    "):
    return "\n".join(prefix + line for line in lines)


def run_file(path, args):
    """Runs one file; returns (statements checked, failures, report lines)."""
    report = []
    try:
        elements, skipped = parse_markdown(path)
    except FormatError as e:
        return 0, 1, [f"{path}:{e.lineno}: format error: {e.message}"]
    except OSError as e:
        return 0, 1, [f"{path}: {e}"]
    nonce = secrets.token_hex(6)
    env = dict(os.environ)
    env["PGDATESTYLE"] = "ISO, MDY"
    env["PGTZ"] = "UTC"
    env["PGOPTIONS"] = (env.get("PGOPTIONS", "") + " -c client_min_messages=warning").strip()
    with tempfile.NamedTemporaryFile("w", suffix=".sql", prefix="doctest_", delete=False) as f:
        f.write(build_script(elements, nonce))
        script = f.name
    cmd = [args.psql, "-X", "-q", "--csv", "-v", "ON_ERROR_STOP=0", "-f", script]
    if args.dbname:
        cmd[1:1] = ["-d", args.dbname]
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=args.timeout)
        stdout, stderr, rc = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as e:
        stdout = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        stderr, rc = f"timed out after {args.timeout} s", -1
    finally:
        os.unlink(script)
    results = parse_output(stdout, nonce)
    psql_said = indent(stderr.strip().splitlines()[-5:] or [f"psql exit code {rc}"])
    if not results and any(isinstance(e, Statement) for e in elements) and rc != 0:
        return 0, 1, [f"{path}: psql failed before the first statement\n{psql_said}"]
    checked = failures = not_run = 0
    for k, e in enumerate(elements):
        if isinstance(e, Setup):
            if results.get(k) != "setup":
                failures += 1
                errors = [l for l in stderr.splitlines() if re.search(r"\b(ERROR|FATAL|error|fatal):", l)]
                report.append(f"{path}:{e.lineno}: setup failed: {e.commands}\n"
                              + indent(errors[-5:] or stderr.splitlines()[-5:] or [f"psql exit code {rc}"]))
                break
            continue
        if e.items is not None:
            checked += 1
        if results.get(k) is None and not_run:
            not_run += 1
            failures += 1
            continue
        problem = compare(e, results.get(k))
        if problem:
            failures += 1
            lines = [f"{path}:{e.lineno}: {problem}", "  statement:", indent(e.sql.strip().split("\n"))]
            if e.expected:
                lines += ["  expected:", indent("--" + t for _, t in e.expected)]
            lines += ["  actual:", indent(render_actual(results.get(k)))]
            if results.get(k) is None:
                not_run = 1
                lines += ["  psql said:", psql_said]
            report.append("\n".join(lines))
    if not_run > 1:
        report.append(f"{path}: {not_run - 1} further statements not run")
    if rc not in (0, 3) and not failures:
        failures += 1
        report.append(f"{path}: psql exited with code {rc}\n{psql_said}")
    if skipped and args.verbose:
        report.append(f"{path}: {skipped} block(s) skipped")
    return checked, failures, report


def main():
    ap = argparse.ArgumentParser(description="Runs the ```sql blocks of Markdown files and checks their outputs.")
    ap.add_argument("files", nargs="+", help="Markdown files (docs/reference/*.md)")
    ap.add_argument("-d", "--dbname", help="database (default: libpq's PGDATABASE)")
    ap.add_argument("--psql", default="psql", help="psql binary (default: psql on the PATH)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per file (default 600)")
    ap.add_argument("-j", "--jobs", type=int, default=min(4, os.cpu_count() or 1),
                    help="files run at the same time (default: the CPUs, at most 4)")
    ap.add_argument("-v", "--verbose", action="store_true", help="also report skipped blocks")
    args = ap.parse_args()
    total_checked = total_failed = 0
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        runs = [pool.submit(run_file, path, args) for path in args.files]
    for path, run in zip(args.files, runs):
        checked, failures, report = run.result()
        for r in report:
            print(r)
            print()
        if failures:
            print(f"not ok {path}: {failures} failed, {checked} statements checked")
        else:
            print(f"ok {path}: {checked} statements checked")
        sys.stdout.flush()
        total_checked += checked
        total_failed += failures
    print(f"doctest: {total_checked} statements checked in {len(args.files)} files, {total_failed} failed")
    return 1 if total_failed else 0


if __name__ == "__main__":
    sys.exit(main())
