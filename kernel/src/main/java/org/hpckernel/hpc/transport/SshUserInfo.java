package org.hpckernel.hpc.transport;

import com.jcraft.jsch.UIKeyboardInteractive;
import com.jcraft.jsch.UserInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hpckernel.util.Log;

/**
 * JSch's callbacks for one login to one server, answered through a {@link CredentialPrompt}:
 * key passphrases, passwords and keyboard-interactive prompts (one-time codes; a prompt may span
 * several lines). When the prompt cannot ask (no stdin in this frontend), the callback cancels
 * and remembers why, so the connector can say so instead of "Auth cancel". Answers are handed to
 * JSch and forgotten; nothing typed is ever logged.
 */
final class SshUserInfo implements UserInfo, UIKeyboardInteractive {
    private final String cluster;
    private final String destination;
    private final CredentialPrompt prompt;
    private String passphrase;
    private String password;
    private int asked;
    private int answered;
    private String neededInput;
    private IOException unavailable;
    private boolean cancelled;
    private final List<String> messages = new ArrayList<>();

    SshUserInfo(String cluster, String destination, CredentialPrompt prompt) {
        this.cluster = cluster;
        this.destination = destination;
        this.prompt = prompt;
    }

    /** How many questions reached the prompt. */
    synchronized int asked() {
        return asked;
    }

    /** How many questions the user answered (a login that needs a person when > 0). */
    synchronized int answered() {
        return answered;
    }

    /** What the server wanted when nobody could answer ("the passphrase of ...", "a one-time code"), or null. */
    synchronized String neededInput() {
        return neededInput;
    }

    /** Why asking failed (StdinUnavailableException, ...), or null. */
    synchronized IOException unavailable() {
        return unavailable;
    }

    /** True when the user (not the frontend) declined to answer. */
    synchronized boolean cancelled() {
        return cancelled;
    }

    /** Banners and warnings the server or JSch showed. */
    synchronized List<String> messages() {
        return List.copyOf(messages);
    }

    private String ask(String text, boolean echo, String what) {
        if (prompt == null) {
            neededInput = what;
            unavailable = new IOException("this connection cannot ask questions (BatchMode)");
            return null;
        }
        if (!prompt.interactive()) {
            neededInput = what;
            unavailable = new IOException("no interactive cell to ask in");
            return null;
        }
        asked++;
        try {
            String answer = prompt.ask(text, echo);
            if (answer == null) {
                cancelled = true;
                neededInput = what;
                return null;
            }
            answered++;
            return answer;
        } catch (IOException e) {
            neededInput = what;
            unavailable = e;
            return null;
        }
    }

    private String header() {
        return "cluster " + cluster + " (" + destination + ")";
    }

    @Override
    public synchronized String getPassphrase() {
        String p = passphrase;
        passphrase = null;
        return p;
    }

    @Override
    public synchronized String getPassword() {
        String p = password;
        password = null;
        return p;
    }

    @Override
    public synchronized boolean promptPassphrase(String message) {
        // JSch: "Passphrase for /path/to/key"
        String key = message.startsWith("Passphrase for ") ? message.substring("Passphrase for ".length()) : message;
        passphrase = ask(header() + " passphrase for key " + key + ": ", false, "the passphrase of the key " + key);
        return passphrase != null;
    }

    @Override
    public synchronized boolean promptPassword(String message) {
        password = ask(header() + " password: ", false, "a password");
        return password != null;
    }

    @Override
    public synchronized boolean promptYesNo(String message) {
        // Host-key questions never reach here (StrictHostKeyChecking=yes); say no to anything else.
        Log.debug("ssh %s: declined JSch question: %s", destination, message);
        return false;
    }

    @Override
    public synchronized void showMessage(String message) {
        if (message == null || message.isBlank()) return;
        if (messages.size() < 20) messages.add(message.strip());
        Log.debug("ssh %s: server message: %s", destination, message.strip());
    }

    @Override
    public synchronized String[] promptKeyboardInteractive(String dest, String name, String instruction, String[] prompts,
            boolean[] echo) {
        if (prompts == null || prompts.length == 0) {
            // An information-only round (some PAM stacks): nothing to answer.
            if (instruction != null && !instruction.isBlank()) showMessage(instruction);
            return new String[0];
        }
        String[] answers = new String[prompts.length];
        for (int i = 0; i < prompts.length; i++) {
            List<String> lines = new ArrayList<>();
            if (i == 0) {
                if (name != null && !name.isBlank()) lines.add(name.strip());
                if (instruction != null && !instruction.isBlank()) lines.add(instruction.strip());
            }
            String p = prompts[i] == null ? "" : prompts[i];
            lines.add(p);
            String body = String.join("\n", lines);
            // One line stays one line: "cluster x (u@h:22) Verification code: "; several start below the header.
            String text = header() + (body.contains("\n") ? "\n" : " ") + body;
            boolean shown = echo != null && i < echo.length && echo[i];
            answers[i] = ask(text, shown, kind(p));
            if (answers[i] == null) return null;
        }
        return answers;
    }

    /** What a keyboard-interactive prompt asks for, in words for an error message. */
    static String kind(String prompt) {
        String p = prompt.toLowerCase(Locale.ROOT);
        if (p.contains("one-time") || p.contains("verification") || p.contains("otp") || p.contains("token")
                || p.contains("code") || p.contains("passcode") || p.contains("duo")) {
            return "a one-time code (\"" + lastLine(prompt) + "\")";
        }
        if (p.contains("password")) return "a password (\"" + lastLine(prompt) + "\")";
        return "an answer to \"" + lastLine(prompt) + "\"";
    }

    private static String lastLine(String prompt) {
        String s = prompt.strip();
        int nl = s.lastIndexOf('\n');
        return nl >= 0 ? s.substring(nl + 1).strip() : s;
    }
}
