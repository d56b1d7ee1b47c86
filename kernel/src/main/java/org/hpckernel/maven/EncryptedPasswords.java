package org.hpckernel.maven;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;

/**
 * Passwords that {@code mvn --encrypt-password} wrote ({@code {BASE64}}, decrypted by Maven with
 * the master password of {@code ~/.m2/settings-security.xml}). The kernel does not decrypt them: a
 * credential holding one is left out, and the user is told which and what to do instead. Messages
 * name the server or proxy, never the value.
 */
final class EncryptedPasswords {
    /** Maven's form: a {@code {...}} whose braces are not escaped with a backslash, anywhere in the value. */
    private static final Pattern ENCRYPTED = Pattern.compile("(^|[^\\\\])\\{[^{}]*[^{}\\\\]}");

    private EncryptedPasswords() {}

    static boolean isEncrypted(String password) {
        return password != null && ENCRYPTED.matcher(password).find();
    }

    static List<String> warnings(Settings settings, Path user, Path global) {
        List<String> out = new ArrayList<>();
        String files = user == null && global == null ? "settings.xml"
                : user == null ? global.toString() : global == null ? user.toString() : user + " or " + global;
        for (Proxy p : settings.getProxies()) {
            if (p.isActive() && isEncrypted(p.getPassword())) out.add(message("proxy " + p.getId() + " (" + p.getHost() + ")", files));
        }
        for (Server s : settings.getServers()) {
            if (isEncrypted(s.getPassword()) || isEncrypted(s.getPassphrase())) out.add(message("server " + s.getId(), files));
        }
        return List.copyOf(out);
    }

    private static String message(String what, String files) {
        return "the password of " + what + " in " + files + " is encrypted ({...}, from settings-security.xml), which %maven does"
                + " not support: it is not used, so that repository is asked without it. Put the plain password in a settings file"
                + " only you can read (chmod 600; $" + MavenSettings.SETTINGS_VARIABLE + " can name one for the kernel alone),"
                + " or use an access token of the repository in its place";
    }
}
