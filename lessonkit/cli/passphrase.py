"""Passphrases on the command line: asked on the terminal (never echoed) or read from the environment.

``LESSONKIT_PASSPHRASE`` holds the passphrase for scripts and tests (the participant server and JupyterLab are
started without it); ``LESSONKIT_NEW_PASSPHRASE`` the new one for ``convening passphrase`` and ``recover``. Each
command asks once, when it first opens an encrypted convening that is locked: there is no unlock agent (see
:mod:`lessonkit.store.keyring` for why).
"""

from __future__ import annotations

import os

import click

from lessonkit.i18n import _
from lessonkit.store.keys import check_passphrase

ENV = "LESSONKIT_PASSPHRASE"
NEW_ENV = "LESSONKIT_NEW_PASSPHRASE"
SECRET_ENVS = (ENV, NEW_ENV)


def ask(slug: str) -> str:
    """The passphrase of the locked convening ``slug`` (the keyring's asker while a command runs)."""
    given = os.environ.get(ENV)
    if given:
        return given
    return str(click.prompt(_("Passphrase of '{slug}'").format(slug=slug), hide_input=True, err=True))


def ask_new(slug: str, env: str = ENV) -> str:
    """A new passphrase for ``slug``: from ``env``, else typed twice; checked for length."""
    given = os.environ.get(env)
    if given:
        return check_passphrase(given)
    typed = click.prompt(
        _("New passphrase for '{slug}' (several words; nobody can recover it for you)").format(slug=slug),
        hide_input=True,
        confirmation_prompt=_("Type it again"),
        err=True,
    )
    return check_passphrase(str(typed))
