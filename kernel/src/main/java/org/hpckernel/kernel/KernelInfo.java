package org.hpckernel.kernel;

import java.util.List;
import org.hpckernel.protocol.Header;
import org.hpckernel.protocol.content.KernelInfoReply;
import org.hpckernel.util.Version;

/** What kernel_info_reply says about this kernel and the JVM it runs on. */
final class KernelInfo {
    private KernelInfo() {}

    static KernelInfoReply reply() {
        String java = Runtime.version().toString();
        String version = Version.get();
        return new KernelInfoReply("ok", Header.PROTOCOL_VERSION, "hpc-kernel", version,
                new KernelInfoReply.LanguageInfo("java", java, "text/x-java-source", ".jshell", "text/x-java", "java"),
                "hpc-kernel " + version + " | Java " + java + " (JShell)\n"
                        + "Mark a cell with %%hpc to run it as a batch job; %hpc help for more.",
                List.of(new KernelInfoReply.HelpLink("Java " + Runtime.version().feature() + " API",
                                "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/docs/api/"),
                        new KernelInfoReply.HelpLink("JShell guide",
                                "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature()
                                        + "/jshell/introduction-jshell.html")),
                false);
    }
}
