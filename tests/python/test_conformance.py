"""The official Jupyter kernel conformance suite (jupyter_kernel_test) against the
installed kernelspec, with a snippet for every check it has. Default timing (TIMEOUT and
the suite's own IOPub waits are left untouched)."""
from __future__ import annotations

import os
import sys

import jupyter_kernel_test as jkt  # not "from ... import KernelTests": pytest would collect it

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
import snippets as snippets_mod  # noqa: E402

_lang = harness.kernel_language(harness.KERNEL_NAME)
S = snippets_mod.BY_LANGUAGE.get(_lang, snippets_mod.JAVA)


class TestKernelConformance(jkt.KernelTests):
    kernel_name = harness.KERNEL_NAME

    language_name = S.language
    file_extension = S.file_extension

    code_hello_world = S.hello_world
    code_stderr = S.stderr

    # "matches" is compared as an exact set by the suite; the presence of the expected
    # completion is checked in test_protocol.py::test_completion_offers_expected_match.
    # A name declared earlier in the same cell (not run yet) is completed exactly.
    completion_samples = [{"text": S.completion_code}, S.same_cell_completion]

    complete_code_samples = list(S.complete_code_samples)
    incomplete_code_samples = list(S.incomplete_code_samples)
    invalid_code_samples = list(S.invalid_code_samples)

    code_page_something = S.page_code

    code_generate_error = S.throw

    code_execute_result = [
        {"code": S.one_plus_one, "result": "2"},
        {"code": S.history_code, "result": S.history_result},
        {"code": S.string_expr, "result": S.string_result},
    ]

    code_display_data = [{"code": S.display_html, "mime": "text/html"}]

    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = S.history_code  # "6*7": as a glob it matches exactly that cell

    code_inspect_sample = S.inspect_code

    code_clear_output = S.clear_output

    @classmethod
    def setUpClass(cls) -> None:
        if harness.kernelspec(cls.kernel_name) is None:
            raise AssertionError(f"kernelspec {cls.kernel_name!r} is not installed (run scripts/setup.sh)")
        if _lang not in snippets_mod.BY_LANGUAGE:
            raise AssertionError(f"no snippets for kernel language {_lang!r}")
        super().setUpClass()
