package org.hpckernel.protocol.content;

import com.google.gson.annotations.SerializedName;
import java.util.List;

public record KernelInfoReply(
        String status,
        @SerializedName("protocol_version") String protocolVersion,
        String implementation,
        @SerializedName("implementation_version") String implementationVersion,
        @SerializedName("language_info") LanguageInfo languageInfo,
        String banner,
        @SerializedName("help_links") List<HelpLink> helpLinks,
        boolean debugger) {

    public record LanguageInfo(
            String name,
            String version,
            String mimetype,
            @SerializedName("file_extension") String fileExtension,
            @SerializedName("codemirror_mode") String codemirrorMode,
            @SerializedName("pygments_lexer") String pygmentsLexer) {}

    public record HelpLink(String text, String url) {}
}
