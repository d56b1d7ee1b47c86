"""Code snippets per kernel language.

The tests are written against the Java kernel (language "java"); the Python set lets the
same tests run against ipykernel (HPC_KERNEL_NAME=python3) to check the harness itself.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Snippets:
    language: str
    file_extension: str

    hello_world: str  # prints "hello, world" to stdout
    stderr: str  # prints something to stderr
    one_plus_one: str  # -> execute_result text/plain "2"
    string_expr: str
    string_result: str
    history_code: str  # also a glob pattern matching itself
    history_result: str
    display_html: str  # display_data with text/html
    clear_output: str  # clear_output message
    throw: str  # raises; one `error` message
    throw_ename: str

    complete_code_samples: tuple[str, ...]
    incomplete_code_samples: tuple[str, ...]
    invalid_code_samples: tuple[str, ...]
    completion_code: str  # cursor at the end
    completion_expect: str  # code[:cursor_start] + match must start with this for some match
    same_cell_completion: dict  # {"text": code declaring a name and completing on it, "matches": [...]}
    inspect_code: str
    page_code: str

    # interrupt
    sleep_cell: str  # prints "sleeping" then sleeps ~30 s
    busy_setup: str
    busy_loop: str
    busy_check: str  # after the interrupt: expression, true if the loop ran
    busy_check_result: str
    interrupted_ename: str

    # state probes: define(name) declares a variable, use(name) evaluates it
    define_tpl: str
    use_tpl: str
    slow_throw: str  # takes ~0.5 s, then raises (stop_on_error)
    abort_status: str  # reply status of an execute aborted by stop_on_error

    read_line: str  # prompt "name? ", then prints "hello " + answer
    stdin_error_pattern: str  # regex the error must match when stdin is not allowed

    bg_thread_after_cell: str  # starts a thread that prints "from-background-thread" after the cell ended
    bg_thread_during_cell: str  # thread prints "bg-during-cell"; the cell waits for it
    big_output_tpl: str  # {n} lines: 8-digit line number + 91 x  (100 bytes with the newline)
    long_sleep_3s: str  # runs ~3 s

    runtime_feature: str | None = None  # expression -> JVM feature version (Java only)
    kernel_info_extra: dict = field(default_factory=dict)

    def define(self, name: str, value: int = 42) -> str:
        return self.define_tpl.format(name=name, value=value)

    def use(self, name: str) -> str:
        return self.use_tpl.format(name=name)

    def big_output(self, n: int) -> str:
        return self.big_output_tpl.format(n=n)


JAVA = Snippets(
    language="java",
    file_extension=".jshell",
    hello_world='System.out.println("hello, world");',
    stderr='System.err.println("oops");',
    one_plus_one="1 + 1",
    string_expr='"abc"',
    string_result="abc",
    history_code="6*7",
    history_result="42",
    display_html='display("<b>hi</b>", "text/html");',
    clear_output="clearOutput();",
    throw='throw new IllegalStateException("boom");',
    throw_ename="java.lang.IllegalStateException",
    complete_code_samples=("1 + 1", "int x = 5;", 'System.out.println("done");'),
    incomplete_code_samples=("for (int i = 0; i < 3; i++) {", "1 +"),
    invalid_code_samples=(")",),
    completion_code="Math.ma",
    completion_expect="Math.max",
    same_cell_completion={"text": 'String s = "abc"; s.toUpp', "matches": ["toUpperCase("]},
    inspect_code="Math.max",
    page_code="Math.max?",
    sleep_cell='System.out.println("sleeping");\nThread.sleep(30000);',
    busy_setup="int n = 0;",
    busy_loop="while (true) { n++; }",
    busy_check="n > 0",
    busy_check_result="true",
    interrupted_ename="Interrupted",
    define_tpl="int {name} = {value};",
    use_tpl="{name}",
    slow_throw='Thread.sleep(500);\nthrow new IllegalStateException("boom");',
    abort_status="error",
    read_line='String name = readLine("name? ");\nSystem.out.println("hello " + name);',
    stdin_error_pattern=r"(?i)stdin|input",
    bg_thread_after_cell=(
        "new Thread(() -> {\n"
        "    try { Thread.sleep(300); } catch (InterruptedException e) { }\n"
        '    System.out.println("from-background-thread");\n'
        "}).start();"
    ),
    bg_thread_during_cell=(
        'Thread bgT = new Thread(() -> System.out.println("bg-during-cell"));\n'
        "bgT.start();\n"
        "bgT.join();"
    ),
    big_output_tpl=(
        'for (int i = 0; i < {n}; i++) {{ System.out.println(String.format("%08d", i) + "x".repeat(91)); }}'
    ),
    long_sleep_3s="Thread.sleep(3000);",
    runtime_feature="Runtime.version().feature()",
)

PYTHON = Snippets(
    language="python",
    file_extension=".py",
    hello_world='print("hello, world")',
    stderr='import sys; print("oops", file=sys.stderr)',
    one_plus_one="1 + 1",
    string_expr="'abc'",
    string_result="'abc'",
    history_code="6*7",
    history_result="42",
    display_html='from IPython.display import HTML, display; display(HTML("<b>hi</b>"))',
    clear_output="from IPython.display import clear_output; clear_output()",
    throw='raise ValueError("boom")',
    throw_ename="ValueError",
    complete_code_samples=("1 + 1", "x = 5"),
    incomplete_code_samples=("for i in range(3):",),
    invalid_code_samples=(")",),
    completion_code="pri",
    completion_expect="print",
    same_cell_completion={"text": 's = "abc"; s.upp'},
    inspect_code="print",
    page_code="print?",
    sleep_cell='import time\nprint("sleeping", flush=True)\ntime.sleep(30)',
    busy_setup="n = 0",
    busy_loop="while True:\n    n += 1",
    busy_check="n > 0",
    busy_check_result="True",
    interrupted_ename="KeyboardInterrupt",
    define_tpl="{name} = {value}",
    use_tpl="{name}",
    slow_throw='import time\ntime.sleep(0.5)\nraise ValueError("boom")',
    abort_status="aborted",
    read_line='name = input("name? ")\nprint("hello " + name)',
    stdin_error_pattern=r"(?i)stdin|input",
    bg_thread_after_cell=(
        "import threading, time\n"
        'threading.Thread(target=lambda: (time.sleep(0.3), print("from-background-thread", flush=True))).start()'
    ),
    bg_thread_during_cell=(
        "import threading\n"
        'bgT = threading.Thread(target=lambda: print("bg-during-cell", flush=True))\n'
        "bgT.start(); bgT.join()"
    ),
    big_output_tpl='for i in range({n}): print(f"{{i:08d}}" + "x" * 91)',
    long_sleep_3s="import time; time.sleep(3)",
)

BY_LANGUAGE = {"java": JAVA, "python": PYTHON}


def for_language(language: str | None) -> Snippets:
    if language not in BY_LANGUAGE:
        raise LookupError(f"no test snippets for kernel language {language!r}")
    return BY_LANGUAGE[language]
