"""Encryption in the workbooks: workbook 01's panel, the unlock box every screen shows on a locked convening, and a
passphrase that reaches neither a cell, an output, the kernel's history nor the widgets' saved state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest
from crypto_support import PASSPHRASE, encrypted_convening

from lessonkit import services
from lessonkit.store import Workspace, keyring
from lessonkit.ui.setup_crypto import EncryptionPanel, UnlockBox


def states(widget: widgets.Widget) -> str:
    """Every widget's synced state under ``widget`` (what a notebook saves with its widget state), as text."""
    out = [repr(widget.get_state())]
    for child in getattr(widget, "children", ()):
        out.append(states(child))
    return "\n".join(out)


@pytest.fixture
def shell(tmp_path: Path) -> Any:
    """A real IPython kernel shell with its history in memory."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    sh = InteractiveShell(config=config)
    yield sh
    assert sh.history_manager is not None
    sh.history_manager.end_session()
    InteractiveShell.clear_instance()


def test_encrypting_and_locking_from_workbook_01_keeps_the_passphrase_out_of_history(
    tmp_path: Path, shell: Any
) -> None:
    ws = Workspace(tmp_path / "ws")
    services.create_convening(ws, "open", "Open Exchange")
    shell.user_ns.update(home=str(ws.home))
    assert shell.run_cell("from lessonkit.ui import encryption_panel\npanel = encryption_panel('open', home)").success
    panel: EncryptionPanel = shell.user_ns["panel"]
    assert "Not encrypted" in panel.state.value and panel.encrypt_form.layout.display == "none"
    panel.encrypt_box.value = True
    assert panel.encrypt_form.layout.display is None
    panel.password.value, panel.repeat.value = PASSPHRASE, PASSPHRASE + "?"  # typed in the browser
    shell.run_cell("panel.encrypt.click()")
    assert "differ" in panel.status.value and panel.password.value == ""
    panel.password.value, panel.repeat.value = PASSPHRASE, PASSPHRASE
    shell.run_cell("panel.encrypt.click()")
    assert "Encrypted, and unlocked" in panel.state.value, panel.status.value
    shell.run_cell("panel.lock.click()")
    assert "locked" in panel.state.value and keyring.unlocked(ws.path_for("open")) is None
    history = "\n".join(shell.history_manager.input_hist_raw) + repr(shell.history_manager.output_hist)
    assert PASSPHRASE not in history and PASSPHRASE not in states(panel)
    assert not [k for k, v in shell.user_ns.items() if v == PASSPHRASE]


def test_a_locked_convening_shows_an_unlock_box_and_then_the_screen(tmp_path: Path) -> None:
    import lessonkit.ui

    ws = Workspace(tmp_path / "ws")
    encrypted_convening(ws, "safe")
    keyring.lock(ws.path_for("safe"))
    gate = lessonkit.ui.convening_setup("safe", str(ws.home))
    (box,) = gate.children
    assert isinstance(box, UnlockBox)
    box.password.value = PASSPHRASE  # (a wrong one: tests/test_crypto_convening.py)
    box.unlock.click()
    assert box.password.value == ""
    assert type(gate.children[0]).__name__ == "ConveningSetup"
    assert PASSPHRASE not in states(gate)
