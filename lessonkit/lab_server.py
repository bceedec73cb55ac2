"""The facilitator's JupyterLab as `lessonkit serve --lab` starts it: ``python -m lessonkit.lab_server ARGS``.

Plain ``jupyter lab ARGS`` with one third-party warning filtered. We set ``IdentityProvider.token``, not the
deprecated ``ServerApp.token``; yet notebook_shim (a Lab dependency) reads every ServerApp attribute when it links,
and jupyter-server then warns about ``ServerApp.token`` on every start. ``python -W`` cannot filter it: importing
Voila (a Lab extension) puts a "show every DeprecationWarning raised in traitlets" filter in front of all others.
So Voila is imported first with its import-time filter discarded, and our filter added after it.

Like the participant server, it stops itself when its stdin pipe closes: `lessonkit serve` was killed without
stopping it.
"""

from __future__ import annotations

import warnings


def main() -> None:
    with warnings.catch_warnings():  # restores the filters on exit, dropping the one Voila's import adds
        warnings.simplefilter("ignore")
        import voila  # noqa: F401

    warnings.filterwarnings("ignore", "ServerApp.token config is deprecated", DeprecationWarning)
    from jupyterlab.labapp import main as lab_main

    from lessonkit.participant_server import stop_when_stdin_closes

    stop_when_stdin_closes()
    lab_main()


if __name__ == "__main__":
    main()
