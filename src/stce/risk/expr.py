"""A small, safe expression language for rule conditions, compiled once to Python closures.

Why not `eval` or CEL: rule packs are written by analysts and loaded by a service, so a
condition must never run arbitrary code; and the engine assesses millions of declarations a
day, so a condition must cost a few hundred nanoseconds. A hand-written Pratt-style parser
turns the condition into an AST, checks every name against a schema at load time (an unknown
field is a load error, not a silent `false`), and compiles the AST to nested closures.
`bench/risk.py` measures it next to cel-python.

Grammar (lowest precedence first)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | cmp
    cmp     := add [cmpop add]
    cmpop   := "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in"
             | "startswith" | "endswith" | "contains" | "matches"
    add     := mul (("+" | "-") mul)*
    mul     := unary (("*" | "/") unary)*
    unary   := "-" unary | postfix
    postfix := atom ("." NAME ["(" [args] ")"] | "[" expr "]")*
    atom    := NUMBER | STRING | "true" | "false" | "null" | "it"
             | NAME ["(" [args] ")"] | "(" expr ")" | "[" [expr ("," expr)*] "]"
    args    := expr ("," expr)*

Semantics:

- Names resolve first against the current element inside a collection method (`hits.any(code
  == "X")`: `code` is the hit's code), then against the declaration scope, then against the
  pack's named definitions. `it` is the current element itself (useful over lists of strings:
  `itinerary.any(it in lists.hubs)`).
- Collection methods: `any(p)`, `all(p)`, `count()`, `count(p)`, `where(p)`, `max(e)`,
  `min(e)`, `sum(e)`. `max`/`min` of an empty collection is `null`.
- `null` is absorbing: arithmetic with `null` gives `null`; `<`, `<=`, `>`, `>=`, `in`,
  `startswith`, `endswith`, `contains` and `matches` with a `null` operand are `false`.
- `startswith`/`endswith` accept a string or a list of strings (any of them). `matches` takes
  a constant regular expression (Python `re` syntax, searched, not anchored) compiled at load.
- Strings take `\\n`, `\\t`, `\\\\` and quote escapes; any other backslash stays as written, so a
  regular expression reads naturally (`"\\bFZE\\b"`).
- `and`/`or`/`not` work on truthiness (`null`, `0`, `""` and empty lists are false).
- Functions: `len(x)`, `lower(x)`, `upper(x)`, `str(x)`, `abs(x)`, `min(a, b, …)`, `max(a, b, …)`.

Evidence monotonicity: the compiler tracks, for every sub-expression, how it moves when more
hits are added to the declaration (`const`, `inc`, `dec` or `any`). A rule condition must be
`const` or `inc`, so that adding evidence can only make more rules fire and the score can only
rise. `not hits.any(...)` or `hits.count() == 1` is therefore refused at load time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Fn = Callable[[Any, Any], Any]
"""A compiled expression: `fn(ctx, element) -> value`."""

CONST, INC, DEC, ANY = "const", "inc", "dec", "any"


class ExprError(ValueError):
    """A condition that cannot be parsed or compiled; `column` is 1-based within the text."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"column {column}: {message}")
        self.reason = message
        self.column = column


# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class Type:
    """A static type: a scalar kind, a list, a collection of records, a record or a map."""

    kind: str  # num, str, bool, any, null, list, coll, record, map
    scope: Scope | None = None  # for coll and record
    elem: Type | None = None  # for list
    evidence: bool = False  # a collection that grows when hits are added

    def __str__(self) -> str:
        if self.kind == "list":
            return f"list[{self.elem}]"
        if self.kind in ("coll", "record") and self.scope is not None:
            return f"{self.kind}[{self.scope.name}]"
        return self.kind


NUM, STR, BOOL, ANYT, NULL, MAP = (
    Type("num"),
    Type("str"),
    Type("bool"),
    Type("any"),
    Type("null"),
    Type("map"),
)
STR_LIST = Type("list", elem=STR)
ANY_LIST = Type("list", elem=ANYT)


@dataclass(frozen=True)
class FieldDef:
    """A named field of a scope: its type, how to read it, and one line of documentation."""

    type: Type
    getter: Fn
    doc: str = ""
    mono: str = CONST
    constant: Any = None
    """A value known at load time (e.g. a pack list); the getter is then ignored."""


@dataclass
class Scope:
    """The fields visible on a record (the declaration, a hit, a goods item, a party…)."""

    name: str
    fields: dict[str, FieldDef] = field(default_factory=dict)

    def add(self, name: str, type_: Type, getter: Fn, doc: str = "", mono: str = CONST) -> None:
        self.fields[name] = FieldDef(type_, getter, doc, mono)

    def constant(self, name: str, type_: Type, value: Any, doc: str = "") -> None:
        self.fields[name] = FieldDef(type_, lambda c, e: value, doc, CONST, value)


def coll(scope: Scope, *, evidence: bool = False) -> Type:
    return Type("coll", scope=scope, evidence=evidence)


def record(scope: Scope) -> Type:
    return Type("record", scope=scope)


# --------------------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<str>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|[<>()\[\],.+\-*/])
    """,
    re.VERBOSE,
)
_KEYWORDS = {
    "and",
    "or",
    "not",
    "in",
    "true",
    "false",
    "null",
    "it",
    "startswith",
    "endswith",
    "contains",
    "matches",
}
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'"}


@dataclass(frozen=True)
class Token:
    kind: str  # num, str, name, kw, op, end
    text: str
    col: int
    value: Any = None


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ExprError(f"unexpected character {text[pos]!r}", pos + 1)
        kind = m.lastgroup or ""
        s = m.group()
        if kind == "num":
            out.append(Token("num", s, pos + 1, float(s) if any(c in s for c in ".eE") else int(s)))
        elif kind == "str":
            out.append(Token("str", s, pos + 1, _unescape(s[1:-1], pos + 1)))
        elif kind == "name":
            out.append(Token("kw" if s in _KEYWORDS else "name", s, pos + 1))
        elif kind == "op":
            out.append(Token("op", s, pos + 1))
        pos = m.end()
    out.append(Token("end", "", len(text) + 1))
    return out


def _unescape(body: str, col: int) -> str:
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            nxt = body[i + 1]
            # Unknown escapes stay as written, so a regular expression reads naturally.
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


# --------------------------------------------------------------------------- AST


@dataclass(frozen=True)
class Node:
    op: str  # lit, name, it, list, attr, index, call, method, unary, binary, and, or, not
    col: int
    value: Any = None
    args: tuple[Node, ...] = ()


class Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def _next(self) -> Token:
        t = self.tokens[self.i]
        self.i += 1
        return t

    def _accept(self, kind: str, text: str | None = None) -> Token | None:
        t = self.tok
        if t.kind == kind and (text is None or t.text == text):
            self.i += 1
            return t
        return None

    def _expect(self, kind: str, text: str) -> Token:
        t = self._accept(kind, text)
        if t is None:
            found = self.tok.text or "end of condition"
            raise ExprError(f"expected {text!r}, found {found!r}", self.tok.col)
        return t

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise ExprError("empty condition", 1)
        node = self._or()
        if self.tok.kind != "end":
            raise ExprError(f"unexpected {self.tok.text!r}", self.tok.col)
        return node

    def _or(self) -> Node:
        node = self._and()
        parts = [node]
        while self._accept("kw", "or"):
            parts.append(self._and())
        return node if len(parts) == 1 else Node("or", node.col, args=tuple(parts))

    def _and(self) -> Node:
        node = self._not()
        parts = [node]
        while self._accept("kw", "and"):
            parts.append(self._not())
        return node if len(parts) == 1 else Node("and", node.col, args=tuple(parts))

    def _not(self) -> Node:
        t = self._accept("kw", "not")
        if t is not None:
            return Node("not", t.col, args=(self._not(),))
        return self._cmp()

    def _cmp(self) -> Node:
        left = self._add()
        t = self.tok
        op: str | None = None
        if _is_comparison(t):
            op = t.text
            self.i += 1
        elif t.kind == "kw" and t.text == "not" and self.tokens[self.i + 1].text == "in":
            op = "not in"
            self.i += 2
        if op is None:
            return left
        right = self._add()
        nxt = self.tok
        if _is_comparison(nxt):
            raise ExprError("chained comparison: add parentheses", nxt.col)
        return Node("binary", t.col, op, (left, right))

    def _add(self) -> Node:
        node = self._mul()
        while self.tok.kind == "op" and self.tok.text in ("+", "-"):
            t = self._next()
            node = Node("binary", t.col, t.text, (node, self._mul()))
        return node

    def _mul(self) -> Node:
        node = self._unary()
        while self.tok.kind == "op" and self.tok.text in ("*", "/"):
            t = self._next()
            node = Node("binary", t.col, t.text, (node, self._unary()))
        return node

    def _unary(self) -> Node:
        t = self._accept("op", "-")
        if t is not None:
            return Node("unary", t.col, "-", (self._unary(),))
        return self._postfix()

    def _args(self) -> tuple[Node, ...]:
        args: list[Node] = []
        if self._accept("op", ")"):
            return ()
        while True:
            args.append(self._or())
            if self._accept("op", ")"):
                return tuple(args)
            self._expect("op", ",")

    def _postfix(self) -> Node:
        node = self._atom()
        while True:
            if self._accept("op", "."):
                t = self._next()
                if t.kind not in ("name", "kw"):
                    raise ExprError("expected a field or method name after '.'", t.col)
                if self._accept("op", "("):
                    node = Node("method", t.col, t.text, (node, *self._args()))
                else:
                    node = Node("attr", t.col, t.text, (node,))
            elif self.tok.kind == "op" and self.tok.text == "[":
                t = self._next()
                key = self._or()
                self._expect("op", "]")
                node = Node("index", t.col, None, (node, key))
            else:
                return node

    def _atom(self) -> Node:
        t = self._next()
        if t.kind in ("num", "str"):
            return Node("lit", t.col, t.value)
        if t.kind == "kw":
            if t.text in ("true", "false"):
                return Node("lit", t.col, t.text == "true")
            if t.text == "null":
                return Node("lit", t.col, None)
            if t.text == "it":
                return Node("it", t.col)
            raise ExprError(f"unexpected keyword {t.text!r}", t.col)
        if t.kind == "name":
            if self._accept("op", "("):
                return Node("call", t.col, t.text, self._args())
            return Node("name", t.col, t.text)
        if t.kind == "op" and t.text == "(":
            node = self._or()
            self._expect("op", ")")
            return node
        if t.kind == "op" and t.text == "[":
            items: list[Node] = []
            if not self._accept("op", "]"):
                while True:
                    items.append(self._or())
                    if self._accept("op", "]"):
                        break
                    self._expect("op", ",")
            return Node("list", t.col, None, tuple(items))
        raise ExprError(f"unexpected {t.text or 'end of condition'!r}", t.col)


_CMP_OPS = frozenset({"==", "!=", "<", "<=", ">", ">="})
_CMP_WORDS = frozenset({"in", "startswith", "endswith", "contains", "matches"})


def _is_comparison(t: Token) -> bool:
    return (t.kind == "op" and t.text in _CMP_OPS) or (t.kind == "kw" and t.text in _CMP_WORDS)


def parse(text: str) -> Node:
    return Parser(text).parse()


# --------------------------------------------------------------------------- monotonicity


def _flip(m: str) -> str:
    return {INC: DEC, DEC: INC}.get(m, m)


def _combine(*ms: str) -> str:
    out = CONST
    for m in ms:
        if m == CONST:
            continue
        if out == CONST:
            out = m
        elif out != m:
            return ANY
    return out


# --------------------------------------------------------------------------- compiler


@dataclass(frozen=True)
class Compiled:
    fn: Fn
    type: Type
    mono: str
    const: bool = False
    value: Any = None
    tag: str | None = None
    """`hit.code` when this is the code field of the hit in scope (for gating)."""
    codes: frozenset[str] | None = None
    """Inside a hit predicate: the predicate can only hold for a hit whose code is in `codes`."""
    requires: frozenset[str] | None = None
    """The expression can only be true if the declaration has a hit whose code is in `requires`.
    The engine skips a rule without evaluating it when none of those codes is present."""


def _lit(value: Any) -> Compiled:
    if isinstance(value, bool):
        t = BOOL
    elif isinstance(value, int | float):
        t = NUM
    elif isinstance(value, str):
        t = STR
    elif value is None:
        t = NULL
    elif isinstance(value, tuple | frozenset):
        t = ANY_LIST
    else:
        t = ANYT
    return Compiled(lambda c, e: value, t, CONST, True, value)


class Definitions:
    """Named sub-expressions of a pack (`define:`), compiled once and memoised per declaration.

    The context object handed to compiled code must have a `memo` list with one slot per
    definition, initialised to `UNSET`, and a `matched` list (elements that made `any` true).
    """

    def __init__(self) -> None:
        self.compiled: dict[str, Compiled] = {}
        self.slots: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.slots)


UNSET: Any = object()


@dataclass
class Compiler:
    root: Scope
    definitions: Definitions = field(default_factory=Definitions)

    def compile(self, text: str) -> Compiled:
        return self._c(parse(text), None)

    def condition(self, text: str) -> Compiled:
        """Compile a rule condition: it must be monotone (non-decreasing) in the evidence."""
        out = self.compile(text)
        if out.mono not in (CONST, INC):
            raise ExprError(
                "the condition can turn false when more hits arrive (e.g. `not hits.any(...)` "
                "or `hits.count() == 1`); rules may only test for the presence of evidence, so "
                "that adding evidence never lowers a score",
                1,
            )
        return out

    def define(self, name: str, text: str) -> None:
        if name in self.root.fields or name in self.definitions.compiled:
            raise ExprError(f"definition {name!r} shadows an existing name", 1)
        inner = self.compile(text)
        slot = len(self.definitions.slots)
        fn = inner.fn

        def memo(c: Any, e: Any) -> Any:
            # The memo keeps the value and the elements that made it (for explanations),
            # replayed into `c.matched` whenever a later rule reads the definition.
            v = c.memo[slot]
            if v is UNSET:
                start = len(c.matched)
                value = fn(c, e)
                c.memo[slot] = (value, tuple(c.matched[start:]))
                return value
            value, why = v
            if why:
                c.matched.extend(why)
            return value

        self.definitions.slots[name] = slot
        self.definitions.compiled[name] = Compiled(
            memo, inner.type, inner.mono, requires=inner.requires
        )

    # -- node dispatch ---------------------------------------------------------------

    def _c(self, n: Node, elem: Type | None) -> Compiled:
        method = getattr(self, "_c_" + n.op)
        out: Compiled = method(n, elem)
        return out

    def _c_lit(self, n: Node, elem: Type | None) -> Compiled:
        return _lit(n.value)

    def _c_it(self, n: Node, elem: Type | None) -> Compiled:
        if elem is None:
            raise ExprError("`it` is only meaningful inside a collection method", n.col)
        return Compiled(lambda c, e: e, elem, CONST)

    def _c_list(self, n: Node, elem: Type | None) -> Compiled:
        parts = [self._c(a, elem) for a in n.args]
        if all(p.const for p in parts):
            value = tuple(p.value for p in parts)
            kinds = {p.type.kind for p in parts}
            t = (
                STR_LIST
                if kinds == {"str"}
                else Type("list", elem=NUM if kinds == {"num"} else ANYT)
            )
            return Compiled(lambda c, e: value, t, CONST, True, value)
        fns = [p.fn for p in parts]
        return Compiled(
            lambda c, e: tuple(f(c, e) for f in fns),
            ANY_LIST,
            _combine(*(p.mono for p in parts)),
        )

    def _c_name(self, n: Node, elem: Type | None) -> Compiled:
        name = n.value
        if elem is not None and elem.kind == "record" and elem.scope is not None:
            fd = elem.scope.fields.get(name)
            if fd is not None:
                tag = f"{elem.scope.name}.{name}"
                return Compiled(fd.getter, fd.type, CONST, tag=tag)
        fd = self.root.fields.get(name)
        if fd is not None:
            return Compiled(fd.getter, fd.type, fd.mono, tag=f"root.{name}")
        d = self.definitions.compiled.get(name)
        if d is not None:
            return d
        known = sorted(self.root.fields)
        if elem is not None and elem.scope is not None:
            known = sorted(elem.scope.fields) + known
        raise ExprError(f"unknown name {name!r} (known: {', '.join(known)})", n.col)

    def _c_attr(self, n: Node, elem: Type | None) -> Compiled:
        base = self._c(n.args[0], elem)
        name = n.value
        t = base.type
        if t.kind == "record" and t.scope is not None:
            fd = t.scope.fields.get(name)
            if fd is None:
                raise ExprError(
                    f"{t.scope.name} has no field {name!r} "
                    f"(fields: {', '.join(sorted(t.scope.fields))})",
                    n.col,
                )
            if fd.constant is not None:
                v = fd.constant
                return Compiled(lambda c, e: v, fd.type, CONST, True, v)
            bf, g = base.fn, fd.getter
            if base.const:
                v = base.value
                return Compiled(lambda c, e: g(c, v), fd.type, base.mono)
            return Compiled(lambda c, e: g(c, bf(c, e)), fd.type, _combine(base.mono, fd.mono))
        if t.kind in ("map", "any"):
            bf = base.fn

            def get(c: Any, e: Any) -> Any:
                m = bf(c, e)
                return m.get(name) if isinstance(m, Mapping) else None

            return Compiled(get, ANYT, base.mono)
        raise ExprError(f"{t} has no field {name!r}", n.col)

    def _c_index(self, n: Node, elem: Type | None) -> Compiled:
        base = self._c(n.args[0], elem)
        key = self._c(n.args[1], elem)
        bf, kf = base.fn, key.fn

        def get(c: Any, e: Any) -> Any:
            m = bf(c, e)
            k = kf(c, e)
            if isinstance(m, Mapping):
                return m.get(k)
            if isinstance(m, Sequence) and isinstance(k, int) and -len(m) <= k < len(m):
                return m[k]
            return None

        if base.type.kind not in ("map", "any", "list"):
            raise ExprError(f"cannot index {base.type}", n.col)
        t = base.type.elem if base.type.kind == "list" and base.type.elem else ANYT
        return Compiled(get, t, _combine(base.mono, key.mono))

    def _c_unary(self, n: Node, elem: Type | None) -> Compiled:
        a = self._c(n.args[0], elem)
        if a.type.kind not in ("num", "any"):
            raise ExprError(f"cannot negate {a.type}", n.col)
        f = a.fn
        return Compiled(lambda c, e: None if (v := f(c, e)) is None else -v, NUM, _flip(a.mono))

    def _c_not(self, n: Node, elem: Type | None) -> Compiled:
        a = self._c(n.args[0], elem)
        f = a.fn
        return Compiled(lambda c, e: not f(c, e), BOOL, _flip(a.mono))

    def _c_and(self, n: Node, elem: Type | None) -> Compiled:
        parts = [self._c(a, elem) for a in n.args]
        mono = _combine(*(p.mono for p in parts))
        # A conjunction holds only if each part holds: any part's constraint is a constraint.
        codes = _narrowest(p.codes for p in parts)
        requires = _narrowest(p.requires for p in parts)
        fns = [p.fn for p in parts]
        if len(fns) == 2:
            f0, f1 = fns
            return Compiled(
                lambda c, e: bool(f0(c, e) and f1(c, e)),
                BOOL,
                mono,
                codes=codes,
                requires=requires,
            )
        if len(fns) == 3:
            f0, f1, f2 = fns
            return Compiled(
                lambda c, e: bool(f0(c, e) and f1(c, e) and f2(c, e)),
                BOOL,
                mono,
                codes=codes,
                requires=requires,
            )

        def all_(c: Any, e: Any) -> bool:
            for f in fns:  # noqa: SIM110 (a loop beats a generator here)
                if not f(c, e):
                    return False
            return True

        return Compiled(all_, BOOL, mono, codes=codes, requires=requires)

    def _c_or(self, n: Node, elem: Type | None) -> Compiled:
        parts = [self._c(a, elem) for a in n.args]
        mono = _combine(*(p.mono for p in parts))
        # A disjunction is constrained only if every part is: the union of their constraints.
        codes = _union(p.codes for p in parts)
        requires = _union(p.requires for p in parts)
        fns = [p.fn for p in parts]
        if len(fns) == 2:
            f0, f1 = fns
            return Compiled(
                lambda c, e: bool(f0(c, e) or f1(c, e)),
                BOOL,
                mono,
                codes=codes,
                requires=requires,
            )

        def any_(c: Any, e: Any) -> bool:
            for f in fns:  # noqa: SIM110 (a loop beats a generator here)
                if f(c, e):
                    return True
            return False

        return Compiled(any_, BOOL, mono, codes=codes, requires=requires)

    def _c_binary(self, n: Node, elem: Type | None) -> Compiled:
        op = n.value
        a = self._c(n.args[0], elem)
        b = self._c(n.args[1], elem)
        if op in ("+", "-", "*", "/"):
            return _arith(op, a, b, n.col)
        if op in ("==", "!="):
            return _equality(op, a, b)
        if op in ("<", "<=", ">", ">="):
            return _order(op, a, b, n.col)
        if op in ("in", "not in"):
            return _membership(op, a, b, n.col)
        if op in ("startswith", "endswith", "contains"):
            return _string_op(op, a, b, n.col)
        if op == "matches":
            return _matches(a, b, n.col)
        raise ExprError(f"unknown operator {op!r}", n.col)  # pragma: no cover

    def _c_call(self, n: Node, elem: Type | None) -> Compiled:
        name = n.value
        args = [self._c(a, elem) for a in n.args]
        if name in ("min", "max") and len(args) >= 2:
            fns = [a.fn for a in args]
            agg = min if name == "min" else max

            def minmax(c: Any, e: Any) -> Any:
                vals = [v for f in fns if (v := f(c, e)) is not None]
                return agg(vals) if vals else None

            return Compiled(minmax, NUM, _combine(*(a.mono for a in args)))
        if len(args) != 1:
            raise ExprError(f"{name}() takes one argument", n.col)
        a = args[0]
        f = a.fn
        if name == "len":
            mono = INC if a.type.evidence else (CONST if a.mono == CONST else ANY)
            return Compiled(lambda c, e: len(v) if (v := f(c, e)) is not None else 0, NUM, mono)
        table: dict[str, tuple[Callable[[Any], Any], Type]] = {
            "lower": (lambda v: v.lower() if isinstance(v, str) else None, STR),
            "upper": (lambda v: v.upper() if isinstance(v, str) else None, STR),
            "str": (lambda v: None if v is None else str(v), STR),
            "abs": (lambda v: abs(v) if isinstance(v, int | float) else None, NUM),
        }
        if name not in table:
            raise ExprError(
                f"unknown function {name!r} (known: abs, len, lower, max, min, str, upper)", n.col
            )
        g, t = table[name]
        return Compiled(lambda c, e: g(f(c, e)), t, CONST if a.mono == CONST else ANY)

    def _c_method(self, n: Node, elem: Type | None) -> Compiled:
        base = self._c(n.args[0], elem)
        name = n.value
        t = base.type
        if t.kind == "coll" and t.scope is not None:
            inner: Type | None = record(t.scope)
        elif t.kind == "list":
            inner = t.elem or ANYT
        elif t.kind == "any":
            # e.g. a list inside a hit's evidence: anything but a list counts as empty.
            inner = ANYT
            raw = base.fn

            def as_list(c: Any, e: Any) -> Any:
                v = raw(c, e)
                return v if isinstance(v, list | tuple) else ()

            base = Compiled(as_list, ANY_LIST, base.mono)
        else:
            raise ExprError(f"{t} has no method {name!r}", n.col)
        args = [self._c(a, inner) for a in n.args[1:]]
        return _collection_method(name, base, args, n.col)


# --------------------------------------------------------------------------- operators


def _arith(op: str, a: Compiled, b: Compiled, col: int) -> Compiled:
    for x in (a, b):
        if x.type.kind not in ("num", "any", "null"):
            raise ExprError(f"operator {op!r} needs numbers, got {x.type}", col)
    fa, fb = a.fn, b.fn
    if op == "+":
        mono = _combine(a.mono, b.mono)

        def f(c: Any, e: Any) -> Any:
            x = fa(c, e)
            y = fb(c, e)
            return None if x is None or y is None else x + y
    elif op == "-":
        mono = _combine(a.mono, _flip(b.mono))

        def f(c: Any, e: Any) -> Any:
            x = fa(c, e)
            y = fb(c, e)
            return None if x is None or y is None else x - y
    elif op == "*":
        mono = _scaled(a, b)

        def f(c: Any, e: Any) -> Any:
            x = fa(c, e)
            y = fb(c, e)
            return None if x is None or y is None else x * y
    else:
        mono = CONST if a.mono == CONST and b.mono == CONST else ANY

        def f(c: Any, e: Any) -> Any:
            x = fa(c, e)
            y = fb(c, e)
            return None if x is None or y is None or y == 0 else x / y

    return Compiled(f, NUM, mono)


def _scaled(a: Compiled, b: Compiled) -> str:
    """Monotonicity of a product: a positive constant factor keeps the direction."""
    if a.mono == CONST and b.mono == CONST:
        return CONST
    for k, x in ((a, b), (b, a)):
        if k.const and isinstance(k.value, int | float) and k.value >= 0:
            return x.mono
    return ANY


def _narrowest(sets: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    known = [s for s in sets if s is not None]
    return min(known, key=len) if known else None


def _union(sets: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    out: frozenset[str] = frozenset()
    for s in sets:
        if s is None:
            return None
        out |= s
    return out


def _equality(op: str, a: Compiled, b: Compiled) -> Compiled:
    mono = CONST if a.mono == CONST and b.mono == CONST else ANY
    fa, fb = a.fn, b.fn
    if b.const:
        k = b.value
        if op == "==":
            codes = frozenset([k]) if a.tag == "hit.code" and isinstance(k, str) else None
            return Compiled(lambda c, e: fa(c, e) == k, BOOL, mono, codes=codes)
        return Compiled(lambda c, e: fa(c, e) != k, BOOL, mono)
    if op == "==":
        return Compiled(lambda c, e: fa(c, e) == fb(c, e), BOOL, mono)
    return Compiled(lambda c, e: fa(c, e) != fb(c, e), BOOL, mono)


def _order(op: str, a: Compiled, b: Compiled, col: int) -> Compiled:
    for x in (a, b):
        if x.type.kind not in ("num", "str", "any", "null"):
            raise ExprError(f"operator {op!r} cannot compare {x.type}", col)
    # `a < b` rises when b rises and falls when a rises; `a > b` the other way round.
    less = op in ("<", "<=")
    mono = _combine(_flip(a.mono), b.mono) if less else _combine(a.mono, _flip(b.mono))
    fa, fb = a.fn, b.fn
    cmp: Callable[[Any, Any], bool] = {
        "<": lambda x, y: x < y,
        "<=": lambda x, y: x <= y,
        ">": lambda x, y: x > y,
        ">=": lambda x, y: x >= y,
    }[op]
    if b.const and isinstance(b.value, int | float):
        k = b.value
        if op == ">=":

            def f(c: Any, e: Any) -> bool:
                x = fa(c, e)
                return isinstance(x, int | float) and x >= k
        elif op == ">":

            def f(c: Any, e: Any) -> bool:
                x = fa(c, e)
                return isinstance(x, int | float) and x > k
        elif op == "<=":

            def f(c: Any, e: Any) -> bool:
                x = fa(c, e)
                return isinstance(x, int | float) and x <= k
        else:

            def f(c: Any, e: Any) -> bool:
                x = fa(c, e)
                return isinstance(x, int | float) and x < k

        return Compiled(f, BOOL, mono)

    def g(c: Any, e: Any) -> bool:
        x = fa(c, e)
        y = fb(c, e)
        if x is None or y is None:
            return False
        try:
            return cmp(x, y)
        except TypeError:
            return False

    return Compiled(g, BOOL, mono)


def _membership(op: str, a: Compiled, b: Compiled, col: int) -> Compiled:
    if b.type.kind not in ("list", "any", "map", "str"):
        raise ExprError(f"`in` needs a list on its right, got {b.type}", col)
    if b.type.kind == "str":
        raise ExprError("use `contains` to look for a substring", col)
    mono = CONST if a.mono == CONST and b.mono == CONST else ANY
    fa = a.fn
    negate = op == "not in"
    if b.const:
        values = b.value
        try:
            k: Any = frozenset(values)
        except TypeError:
            k = values
        if negate:
            return Compiled(lambda c, e: (v := fa(c, e)) is not None and v not in k, BOOL, mono)
        codes = frozenset(x for x in values if isinstance(x, str)) if a.tag == "hit.code" else None
        return Compiled(lambda c, e: fa(c, e) in k, BOOL, mono, codes=codes)
    fb = b.fn

    def f(c: Any, e: Any) -> bool:
        v = fa(c, e)
        seq = fb(c, e)
        if v is None or seq is None:
            return False
        try:
            return (v not in seq) if negate else (v in seq)
        except TypeError:
            return False

    return Compiled(f, BOOL, mono)


def _string_op(op: str, a: Compiled, b: Compiled, col: int) -> Compiled:
    if a.type.kind not in ("str", "any", "null"):
        raise ExprError(f"`{op}` needs a string on its left, got {a.type}", col)
    mono = CONST if a.mono == CONST and b.mono == CONST else ANY
    fa = a.fn
    if b.const:
        k = b.value
        if isinstance(k, tuple):
            if not all(isinstance(x, str) for x in k):
                raise ExprError(f"`{op}` needs strings on its right", col)
        elif not isinstance(k, str):
            raise ExprError(f"`{op}` needs a string or a list of strings on its right", col)
        if op == "contains":
            subs = k if isinstance(k, tuple) else (k,)
            return Compiled(
                lambda c, e: isinstance(v := fa(c, e), str) and any(s in v for s in subs),
                BOOL,
                mono,
            )
        if op == "startswith":
            if isinstance(k, tuple) and len(k) > 8:
                # Many prefixes (an HS watch list): a few slices and set look-ups beat
                # compare every prefix. Codes repeat, so answers are remembered (bounded).
                prefixes = frozenset(k)
                lengths = tuple(sorted({len(x) for x in k}))
                known: dict[str, bool] = {}

                def by_prefix(c: Any, e: Any) -> bool:
                    v = fa(c, e)
                    if not isinstance(v, str):
                        return False
                    found = known.get(v)
                    if found is None:
                        found = any(v[:n] in prefixes for n in lengths)
                        if len(known) > 100_000:
                            known.clear()
                        known[v] = found
                    return found

                return Compiled(by_prefix, BOOL, mono)
            return Compiled(
                lambda c, e: isinstance(v := fa(c, e), str) and v.startswith(k), BOOL, mono
            )
        return Compiled(lambda c, e: isinstance(v := fa(c, e), str) and v.endswith(k), BOOL, mono)
    fb = b.fn

    def f(c: Any, e: Any) -> bool:
        v = fa(c, e)
        w = fb(c, e)
        if not isinstance(v, str) or w is None:
            return False
        if isinstance(w, list | tuple):
            w = tuple(x for x in w if isinstance(x, str))
        elif not isinstance(w, str):
            return False
        if op == "contains":
            return any(s in v for s in (w if isinstance(w, tuple) else (w,)))
        return v.startswith(w) if op == "startswith" else v.endswith(w)

    return Compiled(f, BOOL, mono)


def _matches(a: Compiled, b: Compiled, col: int) -> Compiled:
    if not (b.const and isinstance(b.value, str)):
        raise ExprError("`matches` needs a constant regular expression on its right", col)
    try:
        rx = re.compile(b.value)
    except re.error as exc:
        raise ExprError(f"bad regular expression: {exc}", col) from exc
    search = rx.search
    fa = a.fn
    return Compiled(
        lambda c, e: isinstance(v := fa(c, e), str) and search(v) is not None,
        BOOL,
        a.mono if a.mono == CONST else ANY,
    )


def _collection_method(name: str, base: Compiled, args: list[Compiled], col: int) -> Compiled:
    bf = base.fn
    evidence = base.type.evidence
    if name in ("any", "all", "where") and len(args) != 1:
        raise ExprError(f"{name}() takes one predicate", col)
    if name == "count" and len(args) > 1:
        raise ExprError("count() takes at most one predicate", col)
    if name in ("max", "min", "sum") and len(args) != 1:
        raise ExprError(f"{name}() takes one expression", col)
    if name not in ("any", "all", "where", "count", "max", "min", "sum"):
        raise ExprError(
            f"unknown method {name!r} (known: all, any, count, max, min, sum, where)", col
        )
    pm = args[0].mono if args else CONST
    pf = args[0].fn if args else None

    def quantified(direction: str) -> str:
        """How the result moves with the evidence, given the collection and the predicate."""
        if evidence:
            inner = _combine(base.mono, INC) if base.mono != CONST else INC
            if direction == DEC:
                inner = _flip(inner)
            return inner if pm in (CONST, inner) else ANY
        return _combine(base.mono if direction != DEC else _flip(base.mono), pm)

    if name == "any":
        assert pf is not None
        codes = args[0].codes
        if base.tag == "root.hits" and codes is not None:
            # Only hits with one of the predicate's codes can match: look them up by code.
            wanted = tuple(sorted(codes))

            def any_by_code(c: Any, e: Any) -> bool:
                idx = c.by_code()
                for code in wanted:
                    for x in idx.get(code, ()):
                        if pf(c, x):
                            c.matched.append(x)
                            return True
                return False

            return Compiled(any_by_code, BOOL, quantified(INC), requires=codes)
        if base.type.kind == "coll":
            # Record the element that made it true: the explanation names it.
            def any_(c: Any, e: Any) -> bool:
                for x in bf(c, e) or ():
                    if pf(c, x):
                        c.matched.append(x)
                        return True
                return False
        else:

            def any_(c: Any, e: Any) -> bool:
                for x in bf(c, e) or ():  # noqa: SIM110 (a loop beats a generator here)
                    if pf(c, x):
                        return True
                return False

        requires = args[0].codes if evidence and base.requires is None else base.requires
        return Compiled(any_, BOOL, quantified(INC), requires=requires)
    if name == "all":
        assert pf is not None

        def all_(c: Any, e: Any) -> bool:
            for x in bf(c, e) or ():  # noqa: SIM110 (a loop beats a generator here)
                if not pf(c, x):
                    return False
            return True

        return Compiled(all_, BOOL, quantified(DEC))
    if name == "where":
        assert pf is not None
        mono = base.mono if pm == CONST else ANY
        return Compiled(
            lambda c, e: [x for x in bf(c, e) or () if pf(c, x)],
            Type(base.type.kind, base.type.scope, base.type.elem, evidence),
            mono,
        )
    if name == "count":
        if pf is None:
            mono = INC if evidence else base.mono
            return Compiled(lambda c, e: len(bf(c, e) or ()), NUM, mono)

        def count(c: Any, e: Any) -> int:
            n = 0
            for x in bf(c, e) or ():
                if pf(c, x):
                    n += 1
            return n

        return Compiled(count, NUM, quantified(INC))
    assert pf is not None
    if name == "sum":

        def total(c: Any, e: Any) -> float:
            s = 0.0
            for x in bf(c, e) or ():
                v = pf(c, x)
                if isinstance(v, int | float):
                    s += v
            return s

        # Summing over growing evidence is monotone only for non-negative terms: unknown.
        return Compiled(total, NUM, ANY if evidence else _combine(base.mono, pm))
    agg = max if name == "max" else min

    def extreme(c: Any, e: Any) -> Any:
        vals = [v for x in bf(c, e) or () if isinstance(v := pf(c, x), int | float)]
        return agg(vals) if vals else None

    return Compiled(extreme, NUM, quantified(INC if name == "max" else DEC))
