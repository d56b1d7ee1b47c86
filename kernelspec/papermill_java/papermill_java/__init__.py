"""papermill-java: papermill's parameter translator for Java notebooks.

Installed, it needs no code: papermill finds the translator for notebooks whose language is
``java`` (see hook.py for how). Importing this package registers it as well; ``register()``
registers it under another language or kernel name.
"""
from .registry import ENTRY_POINT_GROUP, register, register_entry_points
from .translator import JavaParameterError, JavaTranslator, java_string_literal

__all__ = [
    "ENTRY_POINT_GROUP",
    "JavaParameterError",
    "JavaTranslator",
    "java_string_literal",
    "register",
    "register_entry_points",
]
__version__ = "0.1.0"

register_entry_points()
