"""CommonMark (what Claude writes) -> Slack mrkdwn, by walking markdown-it-py's syntax tree.

Slack has no headings or tables: headings become bold lines and each table row becomes a
list item of "header: value" pairs. `&`, `<` and `>` are escaped everywhere, code included,
so no text can become a live `<!channel>` or `<@U…>`; links keep only http(s) targets.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str = "") -> str:
    """A Slack link to an http(s) URL; anything else (`!channel`, `@U…`, `mailto:`, a URL
    carrying `|` or `>`) is shown as escaped text and links nowhere."""
    if not _SAFE_URL.match(url):
        return escape(label or url)
    return f"<{url}|{label}>" if label and label != escape(url) else f"<{url}>"


_SAFE_URL = re.compile(r"^https?://[^\s<>|]+$")

# Posted with every message: a planted link must not carry data out in a preview.
NO_PREVIEWS = {"unfurl_links": False, "unfurl_media": False}


def inert_markdown(markdown: str) -> str:
    """Markdown for Slack's `markdown_text` (native streams) with every `<` followed by an
    invisible word joiner, so no `<!channel>` or `<@U…>` can form, even across chunks."""
    return markdown.replace("<", "<\u2060")


def to_mrkdwn(markdown: str) -> str:
    """Convert Markdown to Slack mrkdwn. Unfinished Markdown (mid-stream) converts too."""
    root = SyntaxTreeNode(_parser().parse(markdown))
    return "\n\n".join(b for b in (_block(child, 0) for child in root.children) if b).strip()


def _inline(node: SyntaxTreeNode) -> str:
    kind = node.type
    if kind == "text":
        return escape(node.content)
    if kind in ("softbreak", "hardbreak"):
        return "\n"
    if kind == "code_inline":
        return f"`{escape(node.content)}`"
    inner = "".join(_inline(child) for child in node.children)
    if kind == "strong":
        return f"*{inner}*" if inner.strip() else inner
    if kind == "em":
        return f"_{inner}_" if inner.strip() else inner
    if kind == "s":
        return f"~{inner}~" if inner.strip() else inner
    if kind == "link":
        return link(str(node.attrs.get("href", "")), inner)
    if kind == "image":
        return link(str(node.attrs.get("src", "")), escape(node.content))
    return inner  # inline containers and anything unknown: keep the text


def _inline_of(node: SyntaxTreeNode) -> str:
    return "".join(_inline(child) for child in node.children)


def _block(node: SyntaxTreeNode, depth: int) -> str:
    kind = node.type
    if kind == "inline":
        return _inline_of(node)
    if kind == "paragraph":
        return "".join(_block(child, depth) for child in node.children)
    if kind == "heading":
        text = "".join(_block(child, depth) for child in node.children)
        return f"*{text}*" if text.strip() else ""
    if kind in ("fence", "code_block"):
        return "```\n" + escape(node.content.rstrip("\n")) + "\n```"
    if kind in ("bullet_list", "ordered_list"):
        return _list(node, depth)
    if kind == "blockquote":
        inner = "\n".join(_block(child, depth) for child in node.children)
        return "\n".join("> " + line for line in inner.splitlines())
    if kind == "hr":
        return "──────────"
    if kind == "table":
        return _table(node)
    if kind == "html_block":
        return escape(node.content.strip())
    return "\n".join(b for b in (_block(child, depth) for child in node.children) if b)


def _list(node: SyntaxTreeNode, depth: int) -> str:
    lines: list[str] = []
    start = int(str(node.attrs.get("start", 1) or 1))
    indent = "    " * depth
    for number, item in enumerate(node.children, start):
        marker = f"{number}." if node.type == "ordered_list" else "•"
        parts: list[str] = []
        for child in item.children:
            if child.type in ("bullet_list", "ordered_list"):
                parts.append(_list(child, depth + 1))
            else:
                text = _block(child, depth)
                parts.append(text.replace("\n", "\n" + indent + "  "))
        first, *rest = parts or [""]
        lines.append(f"{indent}{marker} {first}")
        lines.extend(rest)
    return "\n".join(lines)


def _cells(row: SyntaxTreeNode) -> list[str]:
    return [_block(cell, 0).strip() for cell in row.children]


def _table(node: SyntaxTreeNode) -> str:
    headers: list[str] = []
    rows: list[list[str]] = []
    for section in node.children:
        for row in section.children:
            (headers if section.type == "thead" else rows).append(_cells(row))  # type: ignore[arg-type]
    header = headers[0] if headers else []
    lines = []
    for cells in rows:
        first, *others = cells or [""]
        pairs = [
            f"{header[i + 1]}: {value}" if i + 1 < len(header) and header[i + 1] else value
            for i, value in enumerate(others)
            if value
        ]
        lines.append(f"• *{first}*" + (" — " + ", ".join(pairs) if pairs else ""))
    return "\n".join(lines)
