package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** %%hpc bodies as JupyterLab's editor types them: every line after %%hpc indented. */
class CellPayloadTest {
    @Test
    void anIndentedPythonBodyLosesItsCommonIndentation() {
        CellPayload p = CellPayload.of("    #!/usr/bin/env python3\n    for i in range(2):\n        print(i)\n");
        assertTrue(p.shebang());
        assertEquals("#!/usr/bin/env python3\nfor i in range(2):\n    print(i)\n", p.body());
    }

    @Test
    void aShebangTypedAtColumnZeroAboveAnIndentedScriptDedentsTheScript() {
        CellPayload p = CellPayload.of("#!/usr/bin/env python3\n    if True:\n        print('x')\n");
        assertEquals("#!/usr/bin/env python3\nif True:\n    print('x')\n", p.body());
    }

    @Test
    void blankLinesDoNotCountAndLeadingOnesBeforeTheShebangGo() {
        CellPayload p = CellPayload.of("\n  \n    #!/bin/bash\n\n    echo a\n  \n    echo b");
        assertTrue(p.shebang());
        assertEquals("#!/bin/bash\n\necho a\n\necho b\n", p.body());
    }

    @Test
    void tabsAndSpacesAreOnlyCommonWhenIdentical() {
        CellPayload p = CellPayload.of("\t#!/bin/sh\n\t echo a\n\techo b\n");
        assertEquals("#!/bin/sh\n echo a\necho b\n", p.body());
    }

    @Test
    void anUnindentedBodyIsUnchanged() {
        String body = "#!/usr/bin/env python3\nif True:\n    print('x')\n";
        assertEquals(body, CellPayload.of(body).body());
    }

    @Test
    void aJavaBodyIsDedentedAndKeepsItsLineNumbers() {
        CellPayload p = CellPayload.of("\n    int x = 2;\n      System.out.println(x);\n");
        assertFalse(p.shebang());
        assertEquals("\nint x = 2;\n  System.out.println(x);\n", p.body());
    }

    @Test
    void theIndentedPayloadRunsUnderARealPython(@TempDir Path dir) throws Exception {
        CellPayload p = CellPayload.of("    #!/usr/bin/env python3\n    for i in range(2):\n        print('line', i)\n");
        Path script = Files.writeString(dir.resolve("payload"), p.body());
        Process proc = new ProcessBuilder("python3", script.toString()).redirectErrorStream(true).start();
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
        String out = new String(proc.getInputStream().readAllBytes());
        assertEquals(0, proc.exitValue(), out);
        assertEquals("line 0\nline 1\n", out);
    }
}
