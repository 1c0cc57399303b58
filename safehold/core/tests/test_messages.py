"""Success banners are plain English sentences ("The entry has been added to the
chronology"), never a form's title with "saved" after a colon ("Add to the chronology:
saved"). Every `messages.success` call in the apps is read from the source and checked."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A sentence says what happened to what: "has been", "have been", "is", "can", "you", …
SENTENCE_WORDS = (" has been ", " have been ", " is ", " are ", " was ", " can ", "You ", "Your ")


def _success_messages() -> list[tuple[str, str]]:
    """(where, text) of each success message: the text of each `messages.success(request, …)`
    and of each `done=` message given to a page-making function (and the default of the case
    pages' `action_page`)."""
    found = []
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if _is_call(node, "success") and len(node.args) >= 2:
                if not _given_below(node.args[1]):
                    found += [(where, text) for text in _variants(node.args[1])]
            elif isinstance(node, ast.Call) and any(k.arg == "done" for k in node.keywords):
                found += [
                    (where, text)
                    for k in node.keywords
                    if k.arg == "done"
                    for text in _variants(k.value)
                ]
            elif isinstance(node, ast.FunctionDef) and node.name == "action_page":
                defaults = dict(
                    zip(
                        [a.arg for a in node.args.kwonlyargs],
                        node.args.kw_defaults,
                        strict=True,
                    )
                )
                found += [(where, text) for text in _variants(defaults["done"])]
    return found


def _given_below(arg) -> bool:
    """`done` or `done.format(…)`: a message passed in, checked where it is given (`done=…`)."""
    if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute):
        return arg.func.attr == "format" and isinstance(arg.func.value, ast.Name)
    return isinstance(arg, ast.Name)


def _is_call(node, name: str) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Attribute) and func.attr == name and name == "success"
            and isinstance(func.value, ast.Name) and func.value.id == "messages") or (
        isinstance(func, ast.Name) and func.id == name and name != "success"
    )  # fmt: skip


def _variants(node) -> list[str]:
    """Every text the message can be, each interpolated value as {…}; both branches of an
    `a if c else b` written in it."""
    if isinstance(node, ast.Constant):
        return [str(node.value)]
    if isinstance(node, ast.IfExp):
        return _variants(node.body) + _variants(node.orelse)
    if isinstance(node, ast.FormattedValue):
        return _variants(node.value) if isinstance(node.value, ast.IfExp) else ["{…}"]
    if isinstance(node, ast.JoinedStr | ast.BinOp):
        parts = node.values if isinstance(node, ast.JoinedStr) else [node.left, node.right]
        texts = [""]
        for part in parts:
            texts = [t + v for t in texts for v in _variants(part)]
        return texts
    return ["{…}"]


def test_every_success_banner_is_a_sentence():
    messages = _success_messages()
    assert len(messages) > 20  # the sweep found the apps' messages
    not_sentences = [
        f"{where}: {text!r}"
        for where, text in messages
        if ": saved" in text or not any(word in f" {text} " for word in SENTENCE_WORDS)
    ]
    assert not_sentences == []
