"""Web benchmark: the dashboard page and API submissions over 200,000 tasks, on loopback.

Builds a database of 5,000 bodies × 40 half-year cycles (38 synthesized,
2 open: one past its deadline with 5 % of bodies overdue, one current), starts
``uvicorn`` serving ``web.app.create_app()`` in a subprocess on 127.0.0.1, and
measures with httpx clients:

- baseline: ``GET /api/health`` p95 (the HTTP stack alone, same run);
- ``GET /`` (the dashboard, logged in as the coordinator) p95 — target < 200 ms;
- ``POST /api/tasks/{id}/submissions`` p95, one at a time — target < 100 ms;
- throughput of a fixed batch of submissions from a bounded pool of client
  threads — target ≥ 200/s with no errors.

Run: ``.venv/bin/python bench/bench_web.py`` (about a minute). Loopback only.
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._data import (  # noqa: E402
    COORDINATOR,
    CyclePlan,
    body_code,
    fresh_data_dir,
    half_periods,
    insert_cycles,
    local,
    register_org,
)

BODIES = 5_000
CYCLES = 40
AGENCIES = 1_000  # agency accounts (one per body): each sends about two versions
NOW = "2024-12-30T10:00"  # the last open cycle is due 2025-01-13; the other was due 2024-07-12
PASSWORD = "bench-password-1"
REPORT = (
    "# I. Kết quả thực hiện\n"
    "Ủy ban nhân dân xã đã triển khai đầy đủ các nội dung phối hợp trong kỳ.\n\n"
    "# II. Nhiệm vụ thời gian tới\n"
    "Tiếp tục nâng cao chất lượng thông tin, báo cáo đúng hạn.\n"
)


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def build() -> tuple[Path, dict[str, str]]:
    """The database, accounts for the coordinator and AGENCIES bodies; returns tokens."""
    data_dir = fresh_data_dir("phoihop-bench-web-")
    started = time.perf_counter()
    register_org(BODIES)
    periods = half_periods(CYCLES)
    plans = []
    for i, period in enumerate(periods):
        year, half = int(period[:4]), period[-1]
        due = date(year, 7, 12) if half == "1" else date(year + 1, 1, 13)
        if i < CYCLES - 2:  # closed cycles: everyone delivered, a few late
            tasks = [("accepted", due)] * BODIES
            plans.append(CyclePlan(period, "synthesized", due, tasks))
        elif i == CYCLES - 2:  # past its deadline: 5 % overdue
            tasks = [("pending" if b % 20 == 0 else "submitted", due) for b in range(BODIES)]
            plans.append(CyclePlan(period, "open", due, tasks))
        else:  # current: everyone still within the deadline
            plans.append(CyclePlan(period, "open", due, [("pending", due)] * BODIES))
    written = insert_cycles(plans, opened_at=local("2024-07-03T08:00"))
    from services import accounts

    now = local("2024-12-01T08:00")
    accounts.create_user(
        "coord", body=COORDINATOR, role="coordinator", password=PASSWORD,
        display_name="Chuyên viên tổng hợp", now=now, actor="bench",
    )  # fmt: skip
    # Agency accounts in bulk, sharing one password hash (scrypt is deliberately slow);
    # tokens through the service, as `phoihop tokens issue` makes them.
    from sqlalchemy import insert, select

    from models import Body, User
    from services import db

    password_hash = accounts.hash_password(PASSWORD)
    with db.engine().begin() as conn:
        ids = dict(conn.execute(select(Body.code, Body.id)).all())
        conn.execute(
            insert(User),
            [
                {
                    "username": f"agency{i}",
                    "display_name": f"Văn phòng xã {i}",
                    "body_id": ids[body_code(i)],
                    "role": "agency",
                    "password_hash": password_hash,
                    "active": True,
                    "created_at": now,
                }
                for i in range(AGENCIES)
            ],
        )
    tokens = {
        body_code(i): accounts.issue_token(f"agency{i}", name="bench", now=now, actor="bench")[
            "token"
        ]
        for i in range(AGENCIES)
    }
    print(f"database: {written:,} tasks in {time.perf_counter() - started:.1f} s ({data_dir})")
    return data_dir, tokens


def start_server(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = os.environ | {"PHOIHOP_DATA_DIR": str(data_dir), "PHOIHOP_NOW": NOW}
    env.pop("PREFECT_API_URL", None)
    code = (
        "import uvicorn; from web.app import create_app; "
        f"uvicorn.run(create_app(), host='127.0.0.1', port={port}, log_level='warning')"
    )
    repo = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=repo, env=env)
    base = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise SystemExit("the web server did not start")
        time.sleep(0.1)


def timed(call: object, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        call()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    import httpx

    data_dir, tokens = build()
    proc, base = start_server(data_dir)
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            # task ids of the current cycle for the agency bodies
            page = client.get("/login")
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert csrf, "no CSRF token on the login page"
            login = client.post(
                "/login",
                data={"username": "coord", "password": PASSWORD, "csrf_token": csrf.group(1)},
            )
            assert login.status_code == 303, login.text
            first = {"Authorization": f"Bearer {next(iter(tokens.values()))}"}
            current = next(
                c["id"] for c in client.get("/api/cycles", headers=first).json()
                if c["period"] == "2024-H2"
            )  # fmt: skip
            task_of = {}
            for code, token in tokens.items():
                auth = {"Authorization": f"Bearer {token}"}
                rows = client.get(
                    "/api/tasks", params={"body": code, "cycle": current}, headers=auth
                ).json()["items"]
                task_of[code] = rows[0]["task"]

            def health() -> None:
                assert client.get("/api/health").status_code == 200

            def dashboard() -> None:
                response = client.get("/")
                assert response.status_code == 200 and "data-total=" in response.text

            timed(health, 20)  # warm up
            base_samples = timed(health, 300)
            timed(dashboard, 3)
            dash = timed(dashboard, 60)
            overdue_total = re.search(r'data-total="(\d+)"', client.get("/").text)

            codes = list(tokens)
            counter = iter(range(10**9))

            def submit() -> int:
                i = next(counter)
                code = codes[i % len(codes)]
                response = client.post(
                    f"/api/tasks/{task_of[code]}/submissions",
                    json={"text": REPORT + f"\nLần gửi {i}.\n"},
                    headers={"Authorization": f"Bearer {tokens[code]}"},
                )
                return response.status_code

            # each text differs: a new version every time (an identical resend is a no-op)
            sub = timed(lambda: submit() == 201 or sys.exit("submission failed"), 200)

        total, threads = 2_000, 8
        clients = [httpx.Client(base_url=base, timeout=30) for _ in range(threads)]

        def one(i: int) -> int:
            code = codes[i % len(codes)]
            return (
                clients[i % threads]
                .post(
                    f"/api/tasks/{task_of[code]}/submissions",
                    json={"text": REPORT + f"\nLần gửi thứ {i} (tải).\n"},
                    headers={"Authorization": f"Bearer {tokens[code]}"},
                )
                .status_code
            )

        start = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            statuses = list(pool.map(one, range(total)))
        elapsed = time.perf_counter() - start
        for c in clients:
            c.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    errors = sum(1 for s in statuses if s != 201)
    rate = total / elapsed

    def ms(x: float) -> str:
        return f"{x * 1000:7.1f} ms"

    shown = overdue_total[1] if overdue_total else "?"
    print(f"\nweb over {BODIES * CYCLES:,} tasks (overdue on the dashboard: {shown})")
    print(f"{'what':<44} {'median':>10} {'p95':>10}  target       verdict")
    rows = [
        ("baseline GET /api/health", base_samples, None),
        ("dashboard page GET / (coordinator)", dash, 0.200),
        ("API submission POST (sequential)", sub, 0.100),
    ]
    for what, samples, target in rows:
        verdict = "info" if target is None else ("PASS" if p95(samples) < target else "FAIL")
        tgt = "—" if target is None else f"< {target * 1000:.0f} ms"
        print(
            f"{what:<44} {ms(statistics.median(samples))} {ms(p95(samples))}  {tgt:<12} {verdict}"
        )
    verdict = "PASS" if rate >= 200 and errors == 0 else "FAIL"
    print(
        f"{'API submissions, ' + str(threads) + ' client threads':<44} "
        f"{rate:7.0f} /s   {errors} errors of {total:,}   ≥ 200/s       {verdict}"
    )


if __name__ == "__main__":
    main()
