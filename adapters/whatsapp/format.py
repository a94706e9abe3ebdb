"""CommonMark (what the engine speaks) -> WhatsApp's own markup, by parsing with markdown-it.

WhatsApp knows `*bold*`, `_italic_`, `~strike~`, `` `code` ``, ``` blocks, `- ` lists and
`> ` quotes; it has no headings, tables or link text. So headings become bold lines, links
`text (url)`, tables one list item per row, and code blocks are kept as fenced blocks.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

_MD = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
FENCE = "```"


def to_whatsapp(markdown: str) -> str:
    """Convert Markdown to WhatsApp text: blocks separated by one blank line, no trailing space."""
    tree = SyntaxTreeNode(_MD.parse(markdown))
    return "\n\n".join(b for b in (_block(node) for node in tree.children) if b).strip()


def _wrap(mark: str, inner: str) -> str:
    # WhatsApp only formats when the markers touch non-space text: move spaces outside.
    core = inner.strip()
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    tail = inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{core}{mark}{tail}"


def _inline(node: SyntaxTreeNode, *, bold: bool = False) -> str:
    parts: list[str] = []
    for child in node.children:
        kind = child.type
        if kind == "text" or kind == "html_inline":
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind == "strong":
            inner = _inline(child, bold=True)
            parts.append(inner if bold else _wrap("*", inner))
        elif kind == "em":
            parts.append(_wrap("_", _inline(child, bold=bold)))
        elif kind == "s":
            parts.append(_wrap("~", _inline(child, bold=bold)))
        elif kind == "code_inline":
            parts.append(f"`{child.content}`")
        elif kind == "link":
            parts.append(_link(_inline(child, bold=bold), str(child.attrs.get("href", ""))))
        elif kind == "image":
            alt = _inline(child, bold=bold)
            parts.append(_link(alt, str(child.attrs.get("src", ""))))
        else:
            parts.append(_inline(child, bold=bold))
    return "".join(parts)


def _link(text: str, href: str) -> str:
    shown = href.removeprefix("mailto:")
    if not text or text in (href, shown):
        return shown
    return f"{text} ({shown})" if href else text


def _block(node: SyntaxTreeNode) -> str:
    kind = node.type
    if kind == "inline":
        return _inline(node)
    if kind == "paragraph":
        return "".join(_block(child) for child in node.children)
    if kind == "heading":
        inner = "".join(_inline(child, bold=True) for child in node.children)
        return _wrap("*", inner)
    if kind in ("fence", "code_block"):
        return f"{FENCE}\n{node.content.rstrip(chr(10))}\n{FENCE}"
    if kind in ("bullet_list", "ordered_list"):
        return _list(node)
    if kind == "blockquote":
        inner = "\n\n".join(b for b in (_block(child) for child in node.children) if b)
        return "\n".join("> " + line if line else ">" for line in inner.split("\n"))
    if kind == "table":
        return _table(node)
    if kind == "hr":
        return ""
    if kind == "html_block":
        return node.content.strip()
    return "\n\n".join(b for b in (_block(child) for child in node.children) if b)


def _list(node: SyntaxTreeNode) -> str:
    ordered = node.type == "ordered_list"
    number = int(node.attrs.get("start", 1) or 1) if ordered else 0
    lines: list[str] = []
    for item in node.children:
        bullet = f"{number}. " if ordered else "- "
        number += 1
        body = "\n".join(b for b in (_block(child) for child in item.children) if b)
        pad = " " * len(bullet)
        for index, line in enumerate(body.split("\n") or [""]):
            lines.append((bullet if index == 0 else pad) + line if line else "")
    return "\n".join(lines)


def _cells(row: SyntaxTreeNode) -> list[str]:
    return ["".join(_block(c) for c in cell.children).strip() for cell in row.children]


def _table(node: SyntaxTreeNode) -> str:
    header: list[str] = []
    rows: list[list[str]] = []
    for section in node.children:
        for row in section.children:
            if section.type == "thead" and not header:
                header = _cells(row)
            else:
                rows.append(_cells(row))
    lines = []
    for cells in rows:
        if not any(cells):
            continue
        title = _wrap("*", cells[0]) if cells[0] else ""
        rest = [
            f"{header[i]}: {value}" if i < len(header) and header[i] else value
            for i, value in enumerate(cells[1:], start=1)
            if value
        ]
        lines.append("- " + " · ".join(p for p in [title, *rest] if p))
    return "\n".join(lines)
