"""``phoihop serve``: the one-machine production mode.

Starts (unless ``PREFECT_API_URL`` names one) a Prefect server on loopback with
its state under the data directory, serves the deployments — the escalation
sweep on an interval and each program's cycle opening on its RRule — and the
web face on ``--host``/``--port``. Ctrl-C or SIGTERM stops all of it.
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
import time
from datetime import timedelta
from typing import Any

from commands.argtypes import non_negative_int, seconds
from deployments.supervisor import say


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("serve", parents=[common], help="run the scheduler and the web face")
    p.add_argument("--host", default="127.0.0.1", help="web address (default 127.0.0.1)")
    p.add_argument("--port", type=non_negative_int, default=8000, help="web port (default 8000)")
    p.add_argument(
        "--prefect-port",
        type=non_negative_int,
        default=4200,
        help="port of the local Prefect server started when none is configured",
    )
    p.add_argument(
        "--sweep-interval",
        type=seconds,
        default=300,
        metavar="SECONDS",
        help="how often the escalation sweep runs (default 300)",
    )
    p.add_argument(
        "--program-check-interval",
        type=seconds,
        default=60,
        metavar="SECONDS",
        help="how often to look for programs added since start, to schedule them (default 60)",
    )
    p.add_argument("--no-web", action="store_true", help="serve the scheduler only")
    p.set_defaults(handler=serve)


def _check_port_free(host: str, port: int) -> None:
    """Fail before starting anything when the web port is taken."""
    import socket

    from rules.errors import UserError

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise UserError(f"cannot serve the web face on {host}:{port}: {exc.strerror}") from None


def _start_web(host: str, port: int) -> tuple[Any, threading.Thread] | None:
    """The web app in a thread; None when the web package is not installed."""
    try:
        from web.app import create_app
    except ImportError:
        say("web face not installed; scheduler only")
        return None
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(create_app(), host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="phoihop-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        from rules.errors import UserError

        server.should_exit = True
        raise UserError(f"cannot serve the web face on {host}:{port} (is the port in use?)")
    return server, thread


def serve(args: argparse.Namespace) -> None:
    from deployments.local_server import LocalPrefectServer, prepare_environment
    from services import db, settings

    def interrupt(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt  # SIGTERM while starting up: stop as on Ctrl-C

    signal.signal(signal.SIGTERM, interrupt)
    if not args.no_web:
        _check_port_free(args.host, args.port)
    data_dir = settings.data_dir()
    prepare_environment(data_dir)
    db.engine()  # creates missing tables before anything runs
    server: LocalPrefectServer | None = None
    web = None
    try:
        if not os.environ.get("PREFECT_API_URL"):
            server = LocalPrefectServer(args.prefect_port, data_dir / "prefect" / "server.log")
            say(f"starting a Prefect server on 127.0.0.1:{args.prefect_port} …")
            os.environ["PREFECT_API_URL"] = server.start()
        say(f"Prefect API {os.environ['PREFECT_API_URL']}")
        if not args.no_web:
            web = _start_web(args.host, args.port)
            if web:
                say(f"web on http://{args.host}:{args.port}/")
        from deployments.schedules import build, new_program_deployments
        from deployments.supervisor import run_until_signalled

        deployments = build(timedelta(seconds=args.sweep_interval))
        names = ", ".join(d.name for d in deployments)
        say(f"serving {names}; sweep every {args.sweep_interval} s; Ctrl-C to stop")
        if args.json:  # one document for scripts: where everything answers
            from commands.output import to_json

            web_url = f"http://{args.host}:{args.port}/" if web else None
            started = {"web": web_url, "prefect_api": os.environ["PREFECT_API_URL"],
                       "deployments": [d.name for d in deployments],
                       "sweep_interval": args.sweep_interval}  # fmt: skip
            print(to_json(started), flush=True)
        run_until_signalled(
            deployments,
            discover=new_program_deployments,
            discover_every=args.program_check_interval,
        )
    except KeyboardInterrupt:
        say("interrupted while starting")
    finally:
        if web:
            web[0].should_exit = True
            web[1].join(timeout=10)
        if server:
            server.stop()
        say("stopped")
