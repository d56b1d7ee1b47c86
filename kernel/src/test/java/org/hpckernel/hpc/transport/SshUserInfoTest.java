package org.hpckernel.hpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.UIKeyboardInteractive;
import com.jcraft.jsch.UserInfo;
import java.util.ArrayList;
import java.util.List;
import org.hpckernel.display.StdinUnavailableException;
import org.junit.jupiter.api.Test;

class SshUserInfoTest {
    record Asked(String prompt, boolean echo) {}

    @Test
    void implementsBothJSchCallbacks() {
        SshUserInfo ui = new SshUserInfo("c", "u@h:22", CredentialPrompt.none());
        assertTrue(ui instanceof UserInfo);
        assertTrue(ui instanceof UIKeyboardInteractive, "JSch skips keyboard-interactive otherwise");
    }

    @Test
    void keyboardInteractivePromptsKeepTheirLinesAndEcho() {
        List<Asked> asked = new ArrayList<>();
        SshUserInfo ui = new SshUserInfo("hpc", "hpcuser@127.0.0.1:2223", (p, echo) -> {
            asked.add(new Asked(p, echo));
            return "123456";
        });
        String[] answers = ui.promptKeyboardInteractive("hpcuser@127.0.0.1:2223", "", "",
                new String[] {"Two-factor authentication required for hpcuser.\nVerification code: "}, new boolean[] {false});
        assertArrayEquals(new String[] {"123456"}, answers);
        assertEquals(List.of(new Asked("cluster hpc (hpcuser@127.0.0.1:2223)\nTwo-factor authentication required for "
                + "hpcuser.\nVerification code: ", false)), asked);
        assertEquals(1, ui.answered());
    }

    @Test
    void nameAndInstructionComeFirst() {
        List<String> asked = new ArrayList<>();
        SshUserInfo ui = new SshUserInfo("hpc", "u@h:22", (p, echo) -> {
            asked.add(p);
            return echo ? "visible" : "secret";
        });
        String[] answers = ui.promptKeyboardInteractive("u@h:22", "Duo", "Choose:", new String[] {"Option: ", "Password: "},
                new boolean[] {true, false});
        assertArrayEquals(new String[] {"visible", "secret"}, answers);
        assertEquals("cluster hpc (u@h:22)\nDuo\nChoose:\nOption: ", asked.get(0));
        assertEquals("cluster hpc (u@h:22) Password: ", asked.get(1));
    }

    @Test
    void emptyRoundsNeedNoAnswer() {
        SshUserInfo ui = new SshUserInfo("hpc", "u@h:22", (p, echo) -> {
            throw new AssertionError("asked " + p);
        });
        assertArrayEquals(new String[0], ui.promptKeyboardInteractive("u@h:22", "", "Welcome", new String[0], new boolean[0]));
    }

    @Test
    void unavailableStdinCancelsAndRemembersWhy() {
        SshUserInfo ui = new SshUserInfo("hpc", "u@h:22", (p, echo) -> {
            throw new StdinUnavailableException("no stdin here");
        });
        assertNull(ui.promptKeyboardInteractive("u@h:22", "", "", new String[] {"Verification code: "}, new boolean[] {false}));
        assertTrue(ui.unavailable() instanceof StdinUnavailableException);
        assertEquals("a one-time code (\"Verification code:\")", ui.neededInput());
        assertFalse(ui.cancelled());
    }

    @Test
    void nonInteractivePromptIsNotEvenCalled() {
        SshUserInfo ui = new SshUserInfo("hpc", "u@h:22", CredentialPrompt.none());
        assertFalse(ui.promptPassword("Password for u@h"));
        assertEquals(0, ui.asked());
        assertEquals("a password", ui.neededInput());
    }

    @Test
    void passphraseIsHandedOverOnce() {
        SshUserInfo ui = new SshUserInfo("hpc", "u@h:22", (p, echo) -> {
            assertEquals("cluster hpc (u@h:22) passphrase for key /k/id_ed25519: ", p);
            assertFalse(echo);
            return "pw";
        });
        assertTrue(ui.promptPassphrase("Passphrase for /k/id_ed25519"));
        assertEquals("pw", ui.getPassphrase());
        assertNull(ui.getPassphrase(), "not kept after JSch took it");
    }

    @Test
    void userCancelIsNotUnavailability() {
        SshUserInfo ui = new SshUserInfo("hpc", "u@h:22", (p, echo) -> null);
        assertFalse(ui.promptPassword("Password"));
        assertTrue(ui.cancelled());
        assertNull(ui.unavailable());
    }

    @Test
    void hostKeyQuestionsAreAnsweredNo() {
        assertFalse(new SshUserInfo("hpc", "u@h:22", (p, e) -> "yes").promptYesNo("Are you sure you want to continue connecting?"));
    }

    @Test
    void promptKinds() {
        assertEquals("a one-time code (\"One-time password (OATH) for `hpcuser':\")",
                SshUserInfo.kind("One-time password (OATH) for `hpcuser': "));
        assertEquals("a password (\"Password:\")", SshUserInfo.kind("Password: "));
        assertEquals("an answer to \"Favourite colour?\"", SshUserInfo.kind("Favourite colour?"));
    }
}
