"""The hook that makes papermill pick the translator up by itself.

papermill 2.x registers translators from a fixed table and has no plugin group for them, but
when ``papermill.engines`` is imported it loads every ``papermill.engine`` entry point. This
package declares one (``papermill_java = papermill_java.hook:Engine``); loading it imports this
module, which registers the ``papermill.translators`` entry points (ours: ``java``). ``Engine``
is papermill's default nbclient engine under another name (``--engine papermill_java`` works and
behaves exactly like the default).
"""
from papermill.engines import NBClientEngine

from .registry import register_entry_points

register_entry_points()


class Engine(NBClientEngine):
    """papermill's nbclient engine, unchanged."""
