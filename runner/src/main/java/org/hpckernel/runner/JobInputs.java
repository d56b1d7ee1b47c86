package org.hpckernel.runner;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel put in the job directory for a Java cell: the cell body, the notebook's
 * declarations (may be absent) and extra class path entries (may be absent).
 *
 * @param classpath absolute paths; relative lines of {@code classpath.txt} are taken relative to
 *     the job directory
 */
record JobInputs(String cell, String declarations, List<String> classpath) {
    /** Input the runner cannot work with; the message is meant for the user. */
    static final class SetupException extends Exception {
        SetupException(String message) {
            super(message);
        }
    }

    JobInputs {
        classpath = List.copyOf(classpath);
    }

    static JobInputs read(Path jobDir) throws SetupException {
        String cell = readText(jobDir.resolve(JobLayout.CELL), true);
        String declarations = readText(jobDir.resolve(JobLayout.DECLARATIONS), false);
        String classpathText = readText(jobDir.resolve(JobLayout.CLASSPATH), false);
        List<String> classpath = new ArrayList<>();
        for (String line : classpathText.split("\r?\n")) {
            String entry = line.strip();
            if (!entry.isEmpty()) {
                classpath.add(jobDir.resolve(entry).toAbsolutePath().normalize().toString());
            }
        }
        return new JobInputs(cell, declarations, classpath);
    }

    /**
     * The array task index from {@code HPC_ARRAY_INDEX}: null when unset or empty (not an array
     * job), else a non-negative integer.
     */
    static Integer arrayIndex(String value) throws SetupException {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int index = Integer.parseInt(value.strip());
            if (index >= 0) {
                return index;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SetupException("HPC_ARRAY_INDEX must be empty or a non-negative integer, not \"" + value + "\"");
    }

    private static String readText(Path file, boolean required) throws SetupException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            if (required) {
                throw new SetupException("the job directory has no " + file.getFileName() + " (" + file + ")");
            }
            return "";
        } catch (CharacterCodingException e) {
            throw new SetupException(file + " is not valid UTF-8");
        } catch (IOException e) {
            throw new SetupException("cannot read " + file + ": " + e);
        }
    }
}
