"""The participant link for the screen: what `lessonkit serve` wrote into the workspace, shown as a QR code.

The QR code is drawn by qrcode's SVG factory (no pillow needed) and embedded in a widgets.HTML.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path
from urllib.parse import quote, urlsplit

from lessonkit.i18n import _, direction, language_name
from lessonkit.serve import read_info
from lessonkit.ui.html import esc, message


def qr_svg(text: str, size_px: int = 260) -> str:
    """``text`` as an inline SVG QR code of ``size_px`` pixels."""
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = img.to_string(encoding="unicode")
    svg = re.sub(r'width="[^"]*" height="[^"]*"', f'width="{size_px}" height="{size_px}"', svg, count=1)
    return f'<div class="lk-qr" style="background:#fff;display:inline-block">{svg}</div>'


def server_answers(url: str, timeout_s: float = 0.3) -> bool:
    """Whether something listens on the link's port on this laptop (serve.json outlives a stopped server)."""
    port = urlsplit(url).port
    if not port:
        return False
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout_s):
            return True
    except OSError:
        return False


def running_link(home: Path | None, slug: str) -> tuple[str | None, str]:
    """(participant URL or None, why not). The URL only when the server runs for this convening."""
    info = read_info(Path(home)) if home is not None else None
    start = f"lessonkit serve --convening {slug}"
    if not info or not isinstance(info.get("url"), str):
        return None, _(
            "The participant server is not running. Start it in a terminal with `{cmd}` "
            "(add `--lan` so phones on this Wi-Fi can reach it), then press '{button}'."
        ).format(cmd=start, button=_("Check again"))
    url = str(info["url"])
    if not server_answers(url):
        return None, _(
            "The participant server has stopped. Start it again with `{cmd}`, then press '{button}'."
        ).format(cmd=start, button=_("Check again"))
    if info.get("convening") != slug:
        return None, _(
            "The participant server is running for the convening '{other}', not '{slug}'. "
            "Stop it and start `{cmd}`."
        ).format(other=info.get("convening"), slug=slug, cmd=start)
    return url, ""


def personal_url(url: str, code: str) -> str:
    """The participant link carrying a join code, so the person need not type it."""
    return f"{url}&code={quote(code)}"


def language_url(url: str, lang: str) -> str:
    """The participant link opening the forms in ``lang`` (the person can still switch on the form)."""
    return f"{url}&lang={quote(lang)}"


def language_links_html(url: str, languages: list[str]) -> str:
    """One link and a smaller QR code per language of the convening (nothing when there is only one)."""
    if len(languages) < 2:
        return ""
    items = []
    for lang in languages:
        link = language_url(url, lang)
        tag = esc(lang.replace("_", "-"))
        items.append(
            f'<figure lang="{tag}" dir="{direction(lang)}" style="display:inline-block;margin:.5em;text-align:center">'
            f'{qr_svg(link, 160)}<figcaption><a href="{esc(link)}" target="_blank">{esc(language_name(lang))}'
            "</a></figcaption></figure>"
        )
    summary = esc(_("A link per language: the form opens in that language, and each person can still switch."))
    return f"<details><summary>{summary}</summary>{''.join(items)}</details>"


def other_links(home: Path | None, url: str) -> list[str]:
    """The participant link on this laptop's other network addresses (Wi-Fi and Ethernet…), as `serve` found them."""
    info = read_info(Path(home)) if home is not None else None
    urls = info.get("urls") if info else None
    if not isinstance(urls, list):
        return []
    return [u for u in urls if isinstance(u, str) and u != url]


def link_html(home: Path | None, slug: str, languages: list[str] | None = None) -> str:
    """The link (clickable and printed) with a QR code for the screen, then the link on this laptop's other
    addresses; with several ``languages``, a link per language too (without ``lang`` the participant's browser
    chooses); or how to start the server."""
    url, why = running_link(home, slug)
    if url is None:
        return message(why, "info")
    caption = esc(_("Scan to open the listening form, or type the address below."))
    warning = esc(_("The link holds an access token: share it only with the people in the room."))
    anchor = f'<a href="{esc(url)}" target="_blank">{esc(url)}</a>'
    others = other_links(home, url)
    more = ""
    if others:
        items = "".join(f'<li><a href="{esc(u)}" target="_blank">{esc(u)}</a></li>' for u in others)
        hint = esc(_("If phones cannot open it, this laptop's other addresses:"))
        more = f'<p>{hint}</p><ul style="word-break:break-all">{items}</ul>'
    return (
        f'<div class="lk-link"><p>{caption}</p>{qr_svg(url)}'
        f'<p style="font-size:1.2em;word-break:break-all">{anchor}</p>{more}'
        f"<p><small>{warning}</small></p>{language_links_html(url, languages or [])}</div>"
    )
