"""`tailor credits grant|balance`: the operator's way to give credits (no account needed)."""

from __future__ import annotations

import asyncio

import typer

credits_app = typer.Typer(help="Credits: grant and inspect.", no_args_is_help=True)


async def _with_runtime(action: str, email: str, amount: int, note: str | None) -> str:
    from app.config import get_settings
    from app.db.unit_of_work import transaction
    from app.runtime import build_runtime
    from app.services import credits

    runtime = await build_runtime(get_settings())
    try:
        async with transaction(runtime.db) as session:  # one command, one transaction
            user_id = await credits.user_id_by_email(session, email)
            if action == "grant":
                granted = await credits.grant(session, user_id, amount, note)
                return f"granted {amount}; balance {granted.balance}"
            return f"balance {await credits.balance_of(session, user_id)}"
    finally:
        await runtime.close()


@credits_app.command("grant")
def grant(
    email: str = typer.Argument(..., help="The account's e-mail address."),
    amount: int = typer.Argument(..., help="Credits to add (1 to 1,000,000)."),
    note: str = typer.Option(None, help="Why (kept on the ledger row)."),
) -> None:
    """Add credits to an account."""
    from app.errors import AppError

    try:
        typer.echo(asyncio.run(_with_runtime("grant", email, amount, note)))
    except AppError as exc:
        typer.echo(f"error: {exc.message} ({exc.code})", err=True)
        raise typer.Exit(1) from exc


@credits_app.command("balance")
def show_balance(email: str = typer.Argument(..., help="The account's e-mail address.")) -> None:
    """Print an account's balance."""
    from app.errors import AppError

    try:
        typer.echo(asyncio.run(_with_runtime("balance", email, 0, None)))
    except AppError as exc:
        typer.echo(f"error: {exc.message} ({exc.code})", err=True)
        raise typer.Exit(1) from exc
