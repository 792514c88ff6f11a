"""`tailor` command line: serve, worker, migrate, export-schema, dev."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import typer

from app.cli_credits import credits_app

app = typer.Typer(help="Tailor: self-hostable resume tailoring backend.", no_args_is_help=True)
app.add_typer(credits_app, name="credits")


@app.command()
def serve(
    host: str = typer.Option(None, help="Bind address (default TAILOR_HOST)."),
    port: int = typer.Option(None, help="Port (default TAILOR_PORT)."),
    workers: int = typer.Option(1, help="uvicorn worker processes."),
) -> None:
    """Serve the GraphQL API with uvicorn."""
    import uvicorn

    from app.config import get_settings

    settings = get_settings()
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level=settings.log_level.lower(),
        ws="websockets-sansio",
        ws_max_size=settings.ws_max_message_bytes,
        # No permessage-deflate: subscription messages are a few hundred bytes, and
        # compression costs a zlib stream per socket (most of an idle socket's memory) and
        # a compression per message per socket (the costliest step of a fan-out).
        ws_per_message_deflate=False,
        # The app writes its own access log, with query strings redacted (uvicorn's would
        # keep GraphQL-over-GET documents and signed URL signatures).
        access_log=False,
    )


@app.command()
def worker() -> None:
    """Run an arq worker for the tailoring pipeline and exports."""
    from redis.exceptions import ConnectionError as RedisConnectionError

    from app.config import get_settings
    from workers.arq_worker import make_worker
    from workers.heartbeat import claim_ttl_s
    from workers.settings import WorkerSettings

    beat_s = get_settings().worker_heartbeat_s
    claim_s = claim_ttl_s(beat_s) if beat_s > 0 else None

    # arq's poll loop dies when Redis stays away longer than the client's retries; start a
    # fresh worker rather than leaving the queue unattended. Jobs are idempotent.
    while True:
        try:
            make_worker(WorkerSettings, claim_ttl_s=claim_s).run()
            return
        except (RedisConnectionError, ConnectionError, OSError) as exc:
            typer.echo(f"worker lost Redis ({type(exc).__name__}); restarting in 1 s", err=True)
            time.sleep(1)


@app.command()
def migrate() -> None:
    """Apply database migrations up to head."""
    from app.config import get_settings
    from app.migrate import upgrade_head

    upgrade_head(get_settings().database_url)
    typer.echo("database is at head")


@app.command("export-schema")
def export_schema(path: Path = typer.Argument(Path("schema.graphql"))) -> None:
    """Write the GraphQL SDL to a file."""
    from app.config import get_settings
    from graphql_schema.schema import build_schema

    path.write_text(build_schema(get_settings()).as_str() + "\n")
    typer.echo(f"wrote {path}")


@app.command()
def dev(
    data_dir: Path = typer.Option(Path(".data"), help="Where the local servers keep data."),
    pg_port: int = typer.Option(55432, help="Local PostgreSQL port."),
    redis_port: int = typer.Option(56379, help="Local Redis port."),
    port: int = typer.Option(8000, help="API port."),
) -> None:
    """Start local Postgres and Redis, migrate, run the API and a worker. Ctrl-C stops all."""
    from app.local_services import LocalPostgres, LocalRedis
    from app.migrate import upgrade_head
    from app.supervisor import Child, Supervisor

    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(data_dir, 0o755)  # the postgres user must reach its data folder
    postgres = LocalPostgres(data_dir / "postgres", pg_port)
    redis = LocalRedis(data_dir / "redis", redis_port)
    postgres.stop()  # a previous run killed hard may have left a server behind
    postgres.start()
    redis.start()
    postgres.create_database("tailor")
    env = {
        **os.environ,
        "TAILOR_DATABASE_URL": postgres.database_url("tailor"),
        "TAILOR_REDIS_URL": redis.url,
        "TAILOR_PORT": str(port),
        "TAILOR_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "TAILOR_STORAGE_ROOT": str(data_dir / "files"),
    }
    upgrade_head(env["TAILOR_DATABASE_URL"])
    exe = [sys.executable, "-m", "app.cli"]
    worker_env = {**env, "TAILOR_WORKER_METRICS_PORT": str(port + 1)}
    supervisor = Supervisor(
        [Child("api", [*exe, "serve"], env), Child("worker", [*exe, "worker"], worker_env)],
        echo=lambda line: typer.echo(line, err=True),
    )
    supervisor.start_all()
    typer.echo(f"\nTailor is up. GraphiQL: http://127.0.0.1:{port}/graphql  (Ctrl-C stops)")
    typer.echo(f"Worker metrics: http://127.0.0.1:{port + 1}/metrics\n")
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping:  # a child that dies is restarted, not the end of the stack
            supervisor.check()
            time.sleep(0.3)
    finally:
        supervisor.stop_all()
        redis.stop()
        postgres.stop()
        typer.echo("stopped")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
