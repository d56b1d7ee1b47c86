"""pytest fixtures for the hpc-kernel protocol tests.

Fixtures:
  kernel_name       kernelspec under test (env HPC_KERNEL_NAME, default java-hpc)
  snippets          code snippets for that kernel's language
  kernel            one kernel per test module (tests that kill/restart use ``fresh_kernel``)
  fresh_kernel      a new kernel for this test
  kernel_factory    start kernels by kernelspec name; all shut down at test end
  raw_client        raw ZMQ DEALER/REQ sockets for ``fresh_kernel`` (key from the connection file)
"""
from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

import harness  # noqa: E402
import snippets as snippets_mod  # noqa: E402


def pytest_report_header(config):
    spec = harness.kernelspec(harness.KERNEL_NAME)
    lines = [f"kernel under test: {harness.KERNEL_NAME} -> "
             + (f"{spec.argv} (language {spec.language})" if spec else "NOT INSTALLED")]
    name21 = harness.newer_jdk_kernel_name()
    spec21 = harness.kernelspec(name21) if name21 else None
    lines.append(f"JDK>=21 kernel: {name21} -> "
                 + (f"{spec21.argv}" if spec21 else "not installed")
                 + f" (CI={'true' if harness.IN_CI else 'false'})")
    return lines


@pytest.fixture(scope="session")
def kernel_name() -> str:
    if harness.kernelspec(harness.KERNEL_NAME) is None:
        pytest.fail(
            f"kernelspec {harness.KERNEL_NAME!r} is not installed (run scripts/setup.sh); "
            "known: " + ", ".join(sorted(harness.KernelSpecManager().find_kernel_specs()))
        )
    return harness.KERNEL_NAME


@pytest.fixture(scope="session")
def snippets(kernel_name) -> snippets_mod.Snippets:
    return snippets_mod.for_language(harness.kernel_language(kernel_name))


class _Factory:
    def __init__(self):
        self.kernels: list[harness.Kernel] = []

    def __call__(self, name: str) -> harness.Kernel:
        k = harness.Kernel(name)
        self.kernels.append(k)
        return k

    def close(self):
        for k in self.kernels:
            k.close()


@pytest.fixture
def kernel_factory():
    f = _Factory()
    yield f
    f.close()


@pytest.fixture(scope="module")
def kernel(kernel_name):
    k = harness.Kernel(kernel_name)
    yield k
    k.close()


@pytest.fixture
def fresh_kernel(kernel_name, kernel_factory) -> harness.Kernel:
    return kernel_factory(kernel_name)


@pytest.fixture
def raw_client(fresh_kernel):
    rc = harness.RawClient(fresh_kernel.connection_info)
    yield rc
    rc.close()


def jdk21_kernel_name(primary: str) -> str:
    """Name of the JDK >= 21 kernelspec, or skip/fail (fail when CI=true) if it is missing."""
    if harness.kernel_language(primary) != "java":
        pytest.skip("the JDK >= 21 variant applies to the Java kernel only")
    name = harness.newer_jdk_kernel_name(primary)
    if name is None or harness.kernelspec(name) is None:
        msg = (f"kernelspec {name or primary + '-jdkNN'!r} (the kernel on a JDK >= 21) is not installed; "
               "scripts/setup.sh installs it when a JDK >= 21 exists")
        if harness.IN_CI:
            pytest.fail(msg + " - required in CI")
        pytest.skip(msg)
    return name
