#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# runner's C API (runner/runner.h) called from Python's ctypes, as an application in another
# language would: on SQLite and PostgreSQL, errors as exit-code categories and messages, and eight
# processes (then eight threads) upgrading one database at once, each migration applied once.
#
#   c_api_test.py LIBRUNNER_SO SAMPLE_SQL_DIR RUNNER_BIN   (PostgreSQL from RUNNER_TEST_PG_URL)
import ctypes
import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading

LIB, SQL, RUNNER = sys.argv[1], sys.argv[2], sys.argv[3]
SAMPLE_HEAD = 12
failures = []


def check(what, ok, detail=""):
    print(("ok    " if ok else "FAIL  ") + what + ("" if ok else ": " + str(detail)))
    if not ok:
        failures.append(what)


def load():
    lib = ctypes.CDLL(LIB)
    handle = ctypes.POINTER(ctypes.c_void_p)
    lib.runner_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(handle), ctypes.c_char_p,
                                ctypes.c_size_t]
    for name in ("runner_upgrade", "runner_downgrade", "runner_stamp"):
        getattr(lib, name).argtypes = [handle, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.runner_current.argtypes = [handle, ctypes.POINTER(ctypes.c_int64), ctypes.c_char_p, ctypes.c_size_t]
    lib.runner_validate.argtypes = [handle, ctypes.c_char_p, ctypes.c_size_t]
    lib.runner_sql_script.argtypes = [handle, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t,
                                      ctypes.POINTER(ctypes.c_size_t), ctypes.c_char_p, ctypes.c_size_t]
    lib.runner_interrupt.argtypes = [handle]
    lib.runner_close.argtypes = [handle]
    lib.runner_version.restype = ctypes.c_char_p
    return lib, handle


class Migrator:
    def __init__(self, lib, handle_type, url, sql_dir=SQL):
        self.lib, self.err = lib, ctypes.create_string_buffer(4096)
        self.handle = handle_type()
        self.rc = lib.runner_open(url.encode(), sql_dir.encode() if sql_dir else None, ctypes.byref(self.handle),
                                  self.err, len(self.err))

    def message(self):
        return self.err.value.decode()

    def call(self, name, target=None):
        return getattr(self.lib, name)(self.handle, target.encode() if target else None, self.err, len(self.err))

    def current(self):
        v = ctypes.c_int64(-1)
        rc = self.lib.runner_current(self.handle, ctypes.byref(v), self.err, len(self.err))
        return rc, v.value

    def close(self):
        self.lib.runner_close(self.handle)


def upgrade_once(url, barrier, results):
    lib, handle_type = load()
    m = Migrator(lib, handle_type, url)
    barrier.wait()  # all eight call runner_upgrade together
    rc = m.call("runner_upgrade") if m.rc == 0 else m.rc
    results.put((rc, m.message()))
    m.close()


def lifecycle(lib, handle_type, url, count_rows):
    m = Migrator(lib, handle_type, url)
    check(url + ": open", m.rc == 0 and m.message() == "", m.message())
    check(url + ": current at base", m.current() == (0, 0), m.current())
    check(url + ": upgrade to head", m.call("runner_upgrade") == 0, m.message())
    check(url + ": current at head", m.current() == (0, SAMPLE_HEAD), m.current())
    check(url + ": history rows", count_rows() == SAMPLE_HEAD, count_rows())
    check(url + ": downgrade -1", m.call("runner_downgrade", "-1") == 0, m.message())
    check(url + ": one down", m.current() == (0, SAMPLE_HEAD - 1), m.current())
    rc = m.call("runner_downgrade", "-99")
    check(url + ": downgrade too far is usage (2)", rc == 2 and "-99" in m.message(), (rc, m.message()))
    check(url + ": nothing changed by the refusal", m.current() == (0, SAMPLE_HEAD - 1), m.current())
    check(url + ": validate", m.lib.runner_validate(m.handle, m.err, len(m.err)) == 0, m.message())
    check(url + ": stamp base", m.call("runner_stamp", "base") == 0 and m.current() == (0, 0), m.message())
    check(url + ": stamp head", m.call("runner_stamp", "head") == 0 and m.current() == (0, SAMPLE_HEAD), m.message())
    m.close()


def at_once(lib, handle_type, url, count_rows, label):
    ctx = multiprocessing.get_context("spawn")
    barrier, queue = ctx.Barrier(8), ctx.Queue()
    processes = [ctx.Process(target=upgrade_once, args=(url, barrier, queue)) for _ in range(8)]
    for p in processes:
        p.start()
    results = [queue.get(timeout=120) for _ in processes]
    for p in processes:
        p.join()
    check(label + ": eight processes upgrading at once all succeed", all(rc == 0 for rc, _ in results), results)
    check(label + ": each migration applied once", count_rows() == SAMPLE_HEAD, count_rows())


def threads_at_once(lib, handle_type, url, count_rows, label):
    results = []
    start = threading.Barrier(8)

    def work():
        m = Migrator(lib, handle_type, url)
        start.wait()
        rc = m.call("runner_upgrade") if m.rc == 0 else m.rc
        results.append((rc, m.message()))
        m.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(label + ": eight threads upgrading at once all succeed", all(rc == 0 for rc, _ in results), results)
    check(label + ": each migration applied once", count_rows() == SAMPLE_HEAD, count_rows())


def main():
    lib, handle_type = load()
    check("runner_version", lib.runner_version().decode().count(".") == 2, lib.runner_version())
    work = tempfile.mkdtemp(prefix="runner-capi-")
    try:
        # Errors: categories, messages naming the value, NUL-terminated and cut to the buffer.
        m = Migrator(lib, handle_type, "nosuch:x")
        check("unknown dialect is usage (2)", m.rc == 2 and "nosuch" in m.message(), (m.rc, m.message()))
        m = Migrator(lib, handle_type, "sqlite:" + work + "/x.db", work + "/missing")
        check("missing folder is usage (2)", m.rc == 2 and "missing" in m.message(), (m.rc, m.message()))
        small = ctypes.create_string_buffer(b"\xff" * 16)
        h = handle_type()
        rc = lib.runner_open(b"nosuch:x", None, ctypes.byref(h), small, 8)
        check("message cut to err_len and NUL-terminated", rc == 2 and small.raw[7] == 0 and len(small.value) == 7,
              small.raw)
        check("NULL handle is usage (2)", lib.runner_upgrade(None, None, small, 16) == 2, small.value)
        # A message cut inside a UTF-8 character is cut before it instead: the caller can decode it.
        accented = os.path.join(work, "d\u00e9j\u00e0")
        full = Migrator(lib, handle_type, "sqlite:" + work + "/x.db", accented).err.value
        at = full.index("\u00e9".encode())
        cut = ctypes.create_string_buffer(64 + len(full))
        lib.runner_open(b"sqlite:x.db", accented.encode(), ctypes.byref(h), cut, at + 2)  # room for half of it
        check("a message is never cut inside a UTF-8 character", cut.value == full[:at], (cut.value, full[:at]))
        lib.runner_close(None)

        db = os.path.join(work, "app.db")

        def sqlite_rows(path=db):
            if not os.path.exists(path):
                return 0
            with sqlite3.connect(path) as c:
                return c.execute("SELECT count(*) FROM runner_history").fetchone()[0]

        lifecycle(lib, handle_type, "sqlite:" + db, sqlite_rows)

        # A bad migration: exit 1, named, rolled back.
        bad_sql = os.path.join(work, "bad")
        shutil.copytree(SQL, bad_sql)
        with open(os.path.join(bad_sql, "9999_bad.up.sql"), "w") as f:
            f.write("CREATE TABLE ok_then_not (x integer);\nINSERT INTO no_such_table VALUES (1);\n")
        m = Migrator(lib, handle_type, "sqlite:" + db, bad_sql)
        rc = m.call("runner_upgrade")
        check("a failing migration is a migration error (1)",
              rc == 1 and "9999_bad.up.sql:2" in m.message(), (rc, m.message()))
        check("the failing migration was rolled back", m.current() == (0, SAMPLE_HEAD), m.current())
        m.close()

        # runner_interrupt from another thread (an application's shutdown hook): the statement
        # running is cancelled, the migration rolled back, and the call returns 130.
        slow_sql = os.path.join(work, "slow")
        os.mkdir(slow_sql)
        with open(os.path.join(slow_sql, "0001_a.up.sql"), "w") as f:
            f.write("CREATE TABLE a (x integer);\n")
        with open(os.path.join(slow_sql, "0002_slow.up.sql"), "w") as f:
            f.write("CREATE TABLE c (k integer);\nINSERT INTO c WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL "
                    "SELECT x + 1 FROM n WHERE x < 5000000000) SELECT count(*) FROM n;\n")
        slow_db = os.path.join(work, "slow.db")
        m = Migrator(lib, handle_type, "sqlite:" + slow_db, slow_sql)
        timer = threading.Timer(0.5, lambda: lib.runner_interrupt(m.handle))
        timer.start()
        rc = m.call("runner_upgrade")
        timer.join()
        check("runner_interrupt stops the run (130)", rc == 130 and "interrupted" in m.message() and
              "0002_slow was rolled back" in m.message(), (rc, m.message()))
        check("runner_interrupt: the database is at the last migration that committed", m.current() == (0, 1),
              m.current())
        with open(os.path.join(slow_sql, "0002_slow.up.sql"), "w") as f:
            f.write("CREATE TABLE c (k integer);\n")
        check("runner_interrupt: the request ended with that run", m.call("runner_upgrade") == 0, m.message())
        lib.runner_interrupt(None)
        m.close()

        # The application's test mode: the schema built in memory in one call, there for the
        # handle's next calls, and gone with the handle (another handle starts from nothing).
        m = Migrator(lib, handle_type, "sqlite::memory:")
        check("sqlite::memory: upgrade in one call", m.call("runner_upgrade") == 0, m.message())
        check("sqlite::memory: kept across calls", m.current() == (0, SAMPLE_HEAD), m.current())
        check("sqlite::memory: downgrade on it", m.call("runner_downgrade", "-1") == 0 and
              m.current() == (0, SAMPLE_HEAD - 1), m.message())
        other = Migrator(lib, handle_type, "sqlite::memory:")
        check("sqlite::memory: each handle its own database", other.current() == (0, 0), other.current())
        other.close()
        m.close()

        # The --sql script as a string: too small a buffer says how much it needs; the text is the
        # runner command's, but for the time in its first line.
        script_db = os.path.join(work, "script.db")
        m = Migrator(lib, handle_type, "sqlite:" + script_db)
        check("script: upgrade to 0005 first", m.call("runner_upgrade", "0005") == 0, m.message())
        needed = ctypes.c_size_t(0)
        tiny = ctypes.create_string_buffer(8)
        rc = lib.runner_sql_script(m.handle, None, 1, tiny, 8, ctypes.byref(needed), m.err, len(m.err))
        check("script: a short buffer is usage (2) and says the size", rc == 2 and needed.value > 1000 and
              str(needed.value) in m.message(), (rc, needed.value, m.message()))
        out = ctypes.create_string_buffer(needed.value)
        rc = lib.runner_sql_script(m.handle, None, 1, out, needed.value, ctypes.byref(needed), m.err, len(m.err))
        ours = out.value.decode()
        cli = subprocess.run([RUNNER, "upgrade", "--sql", "-d", "sqlite:" + script_db, "-s", SQL],
                             capture_output=True, text=True)
        check("script: the same text as runner upgrade --sql", rc == 0 and cli.returncode == 0 and
              ours.split("\n", 1)[1] == cli.stdout.split("\n", 1)[1] and "from 0005_task_versions to 0012_" in ours,
              (rc, m.message(), cli.stderr))
        rc = lib.runner_sql_script(m.handle, b"head:0003", 0, out, needed.value, None, m.err,
                                   len(m.err))
        check("script: a downgrade range", rc == 0 and "DELETE FROM runner_history" in out.value.decode(), m.message())
        check("script: nothing changed", m.current() == (0, 5), m.current())
        m.close()

        shared = os.path.join(work, "shared.db")
        at_once(lib, handle_type, "sqlite:" + shared, lambda: sqlite_rows(shared), "sqlite")
        threaded = os.path.join(work, "threads.db")
        threads_at_once(lib, handle_type, "sqlite:" + threaded, lambda: sqlite_rows(threaded), "sqlite")

        pg = os.environ.get("RUNNER_TEST_PG_URL")
        if not pg:
            check("RUNNER_TEST_PG_URL is set (scripts/test.sh starts PostgreSQL)", False)
        else:
            def pg_rows(schema):
                out = subprocess.run(["psql", "-X", "-At", "-d", pg, "-c",
                                      "SELECT count(*) FROM pg_tables WHERE schemaname = '%s' AND tablename = "
                                      "'runner_history'" % schema], capture_output=True, text=True, check=True)
                if out.stdout.strip() == "0":
                    return 0
                out = subprocess.run(["psql", "-X", "-At", "-d", pg, "-c",
                                      'SELECT count(*) FROM "%s".runner_history' % schema],
                                     capture_output=True, text=True, check=True)
                return int(out.stdout.strip())

            base = "capi_%d" % os.getpid()
            sep = "&" if "?" in pg else "?"
            lifecycle(lib, handle_type, pg + sep + "schema=" + base, lambda: pg_rows(base))
            at_once(lib, handle_type, pg + sep + "schema=" + base + "_p", lambda: pg_rows(base + "_p"), "postgresql")
            threads_at_once(lib, handle_type, pg + sep + "schema=" + base + "_t", lambda: pg_rows(base + "_t"),
                            "postgresql")
            subprocess.run(["psql", "-X", "-q", "-d", pg, "-v", "ON_ERROR_STOP=0", "-c",
                            "DROP SCHEMA %s CASCADE; DROP SCHEMA %s_p CASCADE; DROP SCHEMA %s_t CASCADE"
                            % (base, base, base)], check=False, capture_output=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
