"""Registration of translators with papermill (imports papermill only when called)."""
import logging
import sys

ENTRY_POINT_GROUP = "papermill.translators"
logger = logging.getLogger("papermill.java")


def register(language="java", translator=None):
    """Registers `translator` (default: JavaTranslator) with papermill for a language or kernel name."""
    from papermill.translators import papermill_translators

    if translator is None:
        from .translator import JavaTranslator as translator
    papermill_translators.register(language, translator)
    return translator


def _entry_points(group):
    from importlib import metadata

    eps = metadata.entry_points()
    if hasattr(eps, "select"):  # Python 3.10+
        return list(eps.select(group=group))
    return list(eps.get(group, []))  # Python 3.8, 3.9


def _ours_still_importing(ep):
    # `import papermill_java` imports papermill, which loads our engine hook while
    # papermill_java.translator is half-imported; papermill_java/__init__ registers it afterwards.
    module = sys.modules.get(ep.value.split(":")[0])
    return ep.value.startswith("papermill_java.") and module is not None and not hasattr(module, ep.value.split(":")[-1])


def register_entry_points(override=False):
    """Registers every installed ``papermill.translators`` entry point (name: a language or
    kernel name; value: a papermill Translator class) with papermill. Names papermill already
    has are left alone unless `override`. Returns the names registered."""
    from papermill.translators import papermill_translators

    known = getattr(papermill_translators, "_translators", {})
    done = []
    for ep in _entry_points(ENTRY_POINT_GROUP):
        if ep.name in known and known[ep.name] is not None and not override:
            continue
        try:
            papermill_translators.register(ep.name, ep.load())
            done.append(ep.name)
        except Exception as e:  # one broken plugin must not break papermill
            if not _ours_still_importing(ep):
                logger.warning("papermill translator %r (%s) not loaded: %s", ep.name, ep.value, e)
    return done
