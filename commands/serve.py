"""``phoihop serve``: the one-machine production mode.

Starts (unless ``PREFECT_API_URL`` names one) a Prefect server on loopback with
its state under the data directory, serves the deployments — the escalation
sweep on an interval (once at start-up too, in place of the sweeps missed while
it was down) and each program's cycle opening on its RRule — and the web face on
``--host``/``--port``. Ctrl-C or SIGTERM stops all of it within 10 s, a second
one at once; the Prefect server also dies with ``serve`` if it is killed.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from commands.argtypes import non_negative_int, seconds
from commands.language import say as words
from deployments.supervisor import say

if TYPE_CHECKING:
    from deployments.supervisor import Shutdown


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
    p.add_argument(
        "--web-workers",
        type=non_negative_int,
        metavar="N",
        help="web processes (PostgreSQL only; default: one per core, up to 4; SQLite: 1)",
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


def _start_web(
    host: str, port: int, cancelled: Callable[[], bool]
) -> tuple[Any, threading.Thread] | None:
    """The web app in a thread; None when the web package is not installed or
    ``cancelled()`` (serve told to stop) while it was starting."""
    try:
        from web.app import create_app
    except ImportError:
        say(
            words(
                "chưa cài giao diện web; chỉ chạy bộ lập lịch",
                "web face not installed; scheduler only",
            )
        )
        return None
    import uvicorn

    config = uvicorn.Config(
        create_app(),
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=2,  # an open connection must not hold up the stop
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="phoihop-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        if cancelled():
            server.should_exit = True
            return None
        time.sleep(0.05)
    if not server.started:
        from rules.errors import UserError

        server.should_exit = True
        raise UserError(f"cannot serve the web face on {host}:{port} (is the port in use?)")
    return server, thread


def _web_processes(asked: int | None, dialect: str) -> int:
    """How many web processes: one on SQLite (one writer is all it admits, and several
    processes would queue on its lock), one per core up to four on PostgreSQL."""
    from rules.errors import UserError

    if dialect == "sqlite":
        if asked and asked > 1:
            raise UserError("several web processes need PostgreSQL; SQLite admits one writer")
        return 1
    if asked is not None:
        if asked < 1:
            raise UserError("--web-workers must be at least 1 (or use --no-web)")
        return asked
    return max(1, min(4, os.cpu_count() or 1))


def serve(args: argparse.Namespace) -> None:
    """Serve until a signal, then stop within 10 s (see :mod:`deployments.supervisor`);
    a signal while starting stops what has started, at once."""
    from deployments.supervisor import Shutdown

    shutdown = Shutdown()
    restore = shutdown.install()  # from here on a signal asks serve to stop, never kills it
    try:
        _serve(args, shutdown)
    finally:
        restore()


def _serve(args: argparse.Namespace, shutdown: Shutdown) -> None:
    """Refuse early (a taken port, an old database), start, serve, and stop in order:
    the web face and the runner first, the Prefect server they talk to last."""
    from deployments.local_server import LocalPrefectServer, prepare_environment
    from deployments.supervisor import SERVER_UNTIL
    from deployments.web_processes import WebProcesses
    from services import db, settings

    if not args.no_web:
        _check_port_free(args.host, args.port)
    data_dir = settings.data_dir()
    prepare_environment(data_dir)
    dialect = db.engine().dialect.name  # a database behind the schema's head is refused here
    processes = 0 if args.no_web else _web_processes(args.web_workers, dialect)
    server: LocalPrefectServer | None = None
    web = None
    several: WebProcesses | None = None
    serving = False
    try:
        if not os.environ.get("PREFECT_API_URL"):
            server = LocalPrefectServer(args.prefect_port, data_dir / "prefect" / "server.log")
            say(words(f"đang khởi động máy chủ Prefect ở 127.0.0.1:{args.prefect_port} …",
                      f"starting a Prefect server on 127.0.0.1:{args.prefect_port} …"))  # fmt: skip
            api_url = server.start(cancelled=lambda: shutdown.requested)
            if api_url is None:
                return
            os.environ["PREFECT_API_URL"] = api_url
        say(f"Prefect API {os.environ['PREFECT_API_URL']}")
        if processes > 1:  # before any thread exists: the children get a parent-death signal
            several = WebProcesses(args.host, args.port, processes)
            if several.start(cancelled=lambda: shutdown.requested):
                url = f"http://{args.host}:{args.port}/"
                say(words(f"giao diện web ở {url} ({processes} tiến trình)",
                          f"web on {url} ({processes} processes)"))  # fmt: skip
        elif processes == 1:
            web = _start_web(args.host, args.port, lambda: shutdown.requested)
            if web:
                say(words("giao diện web ở", "web on") + f" http://{args.host}:{args.port}/")
                shutdown.when_stopping(partial(setattr, web[0], "should_exit", True))
        if shutdown.requested:
            return
        from deployments.schedules import build, new_program_deployments, sweep_once_at_start
        from deployments.supervisor import run_until_signalled

        deployments = build(timedelta(seconds=args.sweep_interval))  # imports Prefect: ~2 s
        if shutdown.requested:
            return
        names = ", ".join(d.name for d in deployments)
        every = args.sweep_interval
        say(words(f"đang phục vụ {names}; rà soát hạn mỗi {every} giây; Ctrl-C để dừng",
                  f"serving {names}; sweep every {every} s; Ctrl-C to stop"))  # fmt: skip

        def ready() -> None:
            """Once the runner polls: one document for scripts, where everything answers."""
            if not args.json:
                return
            from commands.output import to_json

            web_url = f"http://{args.host}:{args.port}/" if web or several else None
            started = {"web": web_url, "prefect_api": os.environ["PREFECT_API_URL"],
                       "deployments": [d.name for d in deployments],
                       "sweep_interval": args.sweep_interval}  # fmt: skip
            print(to_json(started), flush=True)

        serving = True
        run_until_signalled(
            deployments,
            shutdown,
            discover=new_program_deployments,
            discover_every=args.program_check_interval,
            at_start=sweep_once_at_start,
            on_ready=ready,
            not_flow_runs=([server.pid] if server and server.pid else [])
            + (several.pids if several else []),
        )
    finally:
        if shutdown.requested and not serving:
            say(words("được yêu cầu dừng khi đang khởi động", "told to stop while starting"))
        shutdown.begin()
        if web:
            web[0].should_exit = True
            if shutdown.hurry:
                web[0].force_exit = True
            web[1].join(timeout=shutdown.left(SERVER_UNTIL))
        if several:
            several.stop(grace=shutdown.left(SERVER_UNTIL), cut_short=lambda: shutdown.hurry)
        if server:
            server.stop(grace=shutdown.left(SERVER_UNTIL), cut_short=lambda: shutdown.hurry)
        say(words("đã dừng", "stopped"))
