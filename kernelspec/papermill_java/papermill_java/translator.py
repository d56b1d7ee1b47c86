"""papermill's parameter translator for Java (JShell) notebooks.

``JavaTranslator.codify({"n": 100, "name": "x"})`` gives::

    // Parameters
    int n = 100;
    String name = "x";

Each parameter becomes a typed declaration, its type following the value as papermill gives it
(see README.md). The ``translate_*`` methods (papermill's ``Translator`` API) give expressions,
boxed where that matters (inside lists and maps).
"""
import logging
import math
import re

from papermill.exceptions import PapermillException
from papermill.models import Parameter
from papermill.translators import Translator

logger = logging.getLogger("papermill.java")

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1

# JLS 3.9 reserved keywords, the literals true/false/null, and "_" (a keyword since Java 9).
RESERVED = frozenset(
    """abstract assert boolean break byte case catch char class const continue default do double
    else enum extends final finally float for goto if implements import instanceof int interface
    long native new package private protected public return short static strictfp super switch
    synchronized this throw throws transient try void volatile while true false null _""".split()
)
# Contextual keywords that compile as a declaration but not as later uses of the variable.
RESTRICTED = frozenset({"yield"})
# Simple names the injected code itself uses: a variable of that name would hide the type.
USED_TYPES = frozenset(
    {"List", "Map", "Arrays", "LinkedHashMap", "BigInteger", "Double", "String", "Object"}
)
_ASCII_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")

# A class-file string constant holds at most 65535 bytes of modified UTF-8; longer strings are
# built at run time from chunks (16383 chars of at most 3 bytes each, surrogates included).
_CONSTANT_BYTES = 65535
_CHUNK_CHARS = 16383

_NAMED_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


class JavaParameterError(PapermillException, ValueError):
    """A parameter that cannot become a Java variable (its name) or value."""


def check_name(name):
    """Raises JavaParameterError unless `name` can be declared and used as a Java variable."""
    if not isinstance(name, str) or not name:
        raise JavaParameterError(f"papermill-java: parameter name {name!r} is not a Java identifier")
    if name in RESERVED:
        raise JavaParameterError(
            f"papermill-java: parameter name {name!r} is a reserved Java keyword and cannot be a "
            f"variable name; rename the parameter (e.g. {(name + '_') if name != '_' else 'x'!r}) in "
            "the notebook's parameters cell and where it is passed"
        )
    if name in RESTRICTED:
        raise JavaParameterError(
            f"papermill-java: parameter name {name!r} is a restricted Java identifier (a statement "
            "keyword in switch expressions); rename the parameter"
        )
    if name in USED_TYPES:
        raise JavaParameterError(
            f"papermill-java: parameter name {name!r} would hide the Java type {name} that the "
            "injected declarations use; rename the parameter"
        )
    ok = _ASCII_IDENTIFIER.match(name) if name.isascii() else (name.isidentifier() or _unicode_identifier(name))
    if not ok:
        raise JavaParameterError(
            f"papermill-java: parameter name {name!r} is not a valid Java identifier "
            "(letters, digits, _ and $, not starting with a digit)"
        )
    return name


def _unicode_identifier(name):
    # Java also allows currency symbols and connecting punctuation where Python does not.
    import unicodedata

    def start(c):
        return c.isidentifier() or unicodedata.category(c) in ("Sc", "Pc")

    def part(c):
        return ("a" + c).isidentifier() or unicodedata.category(c) in ("Sc", "Pc", "Mn", "Mc", "Nd")

    return start(name[0]) and all(part(c) for c in name[1:])


def _escape_char(c):
    if c in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[c]
    o = ord(c)
    if o < 0x20 or o == 0x7F:
        # Octal, always 3 digits so a following digit is not taken in. Not \\u000a and the like:
        # Java turns unicode escapes into characters before it reads the literal.
        return "\\%03o" % o
    if o < 0x7F:
        return c
    if o <= 0xFFFF:
        return "\\u%04x" % o
    o -= 0x10000
    return "\\u%04x\\u%04x" % (0xD800 + (o >> 10), 0xDC00 + (o & 0x3FF))


def _modified_utf8_length(s):
    n = 0
    for c in s:
        o = ord(c)
        n += 2 if o == 0 else 1 if o < 0x80 else 2 if o < 0x800 else 3 if o <= 0xFFFF else 6
    return n


def java_string_literal(s):
    """A Java expression of type String equal to `s` (pure ASCII source)."""
    if _modified_utf8_length(s) <= _CONSTANT_BYTES:
        return '"' + "".join(_escape_char(c) for c in s) + '"'
    chunks = [s[i : i + _CHUNK_CHARS] for i in range(0, len(s), _CHUNK_CHARS)]
    return 'String.join("", ' + ", ".join(java_string_literal(c) for c in chunks) + ")"


def _contains_null(values):
    return any(v is None for v in values)


class JavaTranslator(Translator):
    """Translates papermill parameters (JSON/YAML values) into Java declarations."""

    # ---- expressions (papermill's Translator API) ------------------------------------------
    @classmethod
    def translate_none(cls, val):
        return "null"

    @classmethod
    def translate_bool(cls, val):
        return "true" if val else "false"

    @classmethod
    def translate_int(cls, val):
        val = int(val)
        if INT_MIN <= val <= INT_MAX:
            return str(val)
        if LONG_MIN <= val <= LONG_MAX:
            return f"{val}L"
        return f'new BigInteger("{val}")'

    @classmethod
    def translate_float(cls, val):
        val = float(val)
        if math.isnan(val):
            return "Double.NaN"
        if math.isinf(val):
            return "Double.POSITIVE_INFINITY" if val > 0 else "Double.NEGATIVE_INFINITY"
        text = repr(val)  # shortest round-trip form: 0.1, 1e+20, 5e-324 are all Java double literals
        return text if any(c in text for c in ".eE") else text + ".0"

    @classmethod
    def translate_str(cls, val):
        return java_string_literal(str(val))

    @classmethod
    def translate_escaped_str(cls, str_val):
        # papermill's fallback for other values (a YAML date, say): their text as a String.
        return java_string_literal(str(str_val))

    @classmethod
    def translate_list(cls, val):
        items = list(val)
        if _contains_null(items):
            # List.of rejects nulls; Arrays.asList takes them. A lone null must be cast, or it
            # would be taken for the varargs array itself.
            args = ", ".join("(Object) null" if v is None else cls.translate(v) for v in items)
            return f"Arrays.asList({args})"
        return f"List.of({', '.join(cls.translate(v) for v in items)})"

    @classmethod
    def translate_dict(cls, val):
        entries = list(val.items())
        if any(k is None or v is None for k, v in entries):
            # Map.of and Map.entry reject nulls: an (ordered) LinkedHashMap filled in place.
            key_type = "String" if cls._string_keys(val) else "Object"
            puts = " ".join(f"put({cls.translate(k)}, {cls.translate(v)});" for k, v in entries)
            return f"new LinkedHashMap<{key_type}, Object>() {{{{ {puts} }}}}"
        if len(entries) <= 10:
            return f"Map.of({', '.join(f'{cls.translate(k)}, {cls.translate(v)}' for k, v in entries)})"
        return "Map.ofEntries(" + ", ".join(f"Map.entry({cls.translate(k)}, {cls.translate(v)})" for k, v in entries) + ")"

    @classmethod
    def translate(cls, val):
        if isinstance(val, tuple):
            return cls.translate_list(list(val))
        return super().translate(val)

    @staticmethod
    def _string_keys(val):
        return all(isinstance(k, str) for k in val)

    # ---- declarations -----------------------------------------------------------------------
    @classmethod
    def java_type(cls, val):
        """The declared type of a parameter holding `val`."""
        if val is None:
            return "Object"
        if isinstance(val, bool):
            return "boolean"
        if isinstance(val, int):
            return "int" if INT_MIN <= val <= INT_MAX else "long" if LONG_MIN <= val <= LONG_MAX else "BigInteger"
        if isinstance(val, float):
            return "double"
        if isinstance(val, (list, tuple)):
            return "List<Object>"
        if isinstance(val, dict):
            return "Map<String, Object>" if cls._string_keys(val) else "Map<Object, Object>"
        return "String"

    @classmethod
    def comment(cls, cmt_str):
        # Backslashes doubled: Java reads a unicode escape such as \u000a even inside a comment.
        lines = str(cmt_str).replace("\\", "\\\\").splitlines() or [""]
        return "\n".join(f"// {line}".rstrip() for line in lines)

    @classmethod
    def assign(cls, name, str_val, java_type="var"):
        """A declaration `java_type name = str_val;` (papermill's assign gives no type: var)."""
        check_name(name)
        if java_type == "var" and str_val == "null":
            java_type = "Object"  # `var x = null;` does not compile
        return f"{java_type} {name} = {str_val};"

    @classmethod
    def codify(cls, parameters, comment="Parameters"):
        content = f"{cls.comment(comment)}\n"
        for name, val in parameters.items():
            check_name(name)
            cls._warn_if_meant_typed(name, val)
            content += cls.assign(name, cls.translate(val), cls.java_type(val)) + "\n"
        return content

    @staticmethod
    def _warn_if_meant_typed(name, val):
        if not isinstance(val, str):
            return
        text = val.strip()
        hint = None
        if text in ("true", "false"):
            hint = f"-p {name} {text.capitalize()} or -y '{name}: {text}'"
        elif text == "null":
            hint = f"-p {name} None"
        elif len(text) >= 2 and (text[0], text[-1]) in (("[", "]"), ("{", "}")):
            hint = f"-y '{name}: {text}'"
        if hint:
            logger.warning(
                "papermill-java: parameter %r is the String %r (papermill's -p converts only "
                "True/False/None and numbers); for a typed value use %s", name, val, hint
            )

    # ---- papermill --help-notebook ----------------------------------------------------------
    _DECLARATION = re.compile(
        r"(?:final\s+)?(?P<type>[A-Za-z_$][\w$.]*(?:\s*<[\w$.<>,?\s\[\]]*>)?(?:\s*\[\s*\])*)\s+"
        r"(?P<name>[A-Za-z_$][\w$]*)\s*=\s*(?P<value>.+?)\s*;",
        re.S,
    )
    _NOT_TYPES = RESERVED - {"boolean", "byte", "char", "double", "float", "int", "long", "short"}

    @classmethod
    def inspect(cls, parameters_cell):
        """The `Type name = value; // help` declarations of a parameters cell (others ignored)."""
        params = []
        statement = []
        for line in parameters_cell["source"].splitlines():
            code, help_text = _split_comment(line)
            if not code.strip():
                continue
            statement.append(code.strip())
            if not code.rstrip().endswith(";"):
                continue
            m = cls._DECLARATION.fullmatch(" ".join(statement))
            statement = []
            if not m or m.group("type") in cls._NOT_TYPES or m.group("name") in RESERVED:
                continue
            params.append(
                Parameter(
                    name=m.group("name"),
                    inferred_type_name=re.sub(r"\s+", "", m.group("type")).replace(",", ", "),
                    default=m.group("value"),
                    help=(help_text or "").strip(),
                )
            )
        return params


def _split_comment(line):
    """(code, comment) of one line of Java: the comment is what follows a // outside literals."""
    quote = None
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif line.startswith("//", i):
            return line[:i], line[i + 2 :]
        i += 1
    return line, None
