package org.hpckernel.runner;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hpckernel.values.MalformedValueException;
import org.hpckernel.values.SerialValues;
import org.hpckernel.values.ValueCodec;

/**
 * What the kernel put in the job directory for a Java cell: the compiled cell ({@code program.json}),
 * the notebook values it uses ({@code inputs.json}, may be absent) and extra class path entries
 * ({@code classpath.txt}, may be absent).
 *
 * @param values each input's JSON by variable name, decoded only when the cell asks for it (it
 *     knows the type); a value in binary form is its {@link SerialValues} text
 * @param classpath absolute paths; relative lines of {@code classpath.txt} are taken relative to
 *     the job directory
 */
record JobInputs(Program program, Map<String, String> values, List<String> classpath) {
    /**
     * The compiled cell: its CellProgram class, in a jar named by its SHA-256; with the byte limits
     * of a value in binary form read from the inputs and written to the outputs (the cell's input
     * and output caps; an older kernel wrote none, and the default limit holds).
     */
    /** {@code objectOutputs}: the --out names declared {@code Object}, whose values are written with their type's tag. */
    record Program(String mainClass, Path jar, String jarSha256, long maxInputBytes, long maxOutputBytes,
            java.util.Set<String> objectOutputs) {
        Program(String mainClass, Path jar, String jarSha256) {
            this(mainClass, jar, jarSha256, SerialValues.Limits.DEFAULT.maxBytes(), SerialValues.Limits.DEFAULT.maxBytes(),
                    java.util.Set.of());
        }
    }

    /** Input the runner cannot work with; the message is meant for the user. */
    static final class SetupException extends Exception {
        SetupException(String message) {
            super(message);
        }
    }

    private static final List<String> PROGRAM_KEYS = List.of("mainClass", "jar", "jarSha256");

    JobInputs {
        values = Map.copyOf(values);
        classpath = List.copyOf(classpath);
    }

    static JobInputs read(Path jobDir) throws SetupException {
        Program program = program(jobDir.resolve(JobLayout.PROGRAM));
        Path inputsFile = jobDir.resolve(JobLayout.INPUTS);
        String inputsText = readText(inputsFile, false);
        Map<String, String> values = Map.of();
        if (!inputsText.isEmpty()) {
            try {
                values = SerialValues.unpack(inputsCodec(program).members(inputsText));
            } catch (MalformedValueException e) {
                throw new SetupException(JobLayout.INPUTS + " is not what the kernel writes (" + e.getMessage()
                        + "); submit the cell again");
            }
        }
        String classpathText = readText(jobDir.resolve(JobLayout.CLASSPATH), false);
        List<String> classpath = new ArrayList<>();
        for (String line : classpathText.split("\r?\n")) {
            String entry = line.strip();
            if (!entry.isEmpty()) {
                classpath.add(jobDir.resolve(entry).toAbsolutePath().normalize().toString());
            }
        }
        return new JobInputs(program, values, classpath);
    }

    /**
     * The codec that reads inputs.json: the standard one, unless the cell's input cap was raised
     * past its document limit (a large value in binary form, base64 in the file), then as long as
     * the cap allows.
     */
    private static ValueCodec inputsCodec(Program program) {
        return ValueCodec.forDocument(2 * program.maxInputBytes());
    }

    private static Program program(Path file) throws SetupException {
        String text = readText(file, true);
        JsonObject object;
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            JsonElement parsed = JsonParser.parseReader(reader);
            if (!parsed.isJsonObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            object = parsed.getAsJsonObject();
            for (String key : PROGRAM_KEYS) {
                JsonElement value = object.get(key);
                if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()
                        || value.getAsString().isBlank()) {
                    throw new IllegalArgumentException("\"" + key + "\" must be a non-empty string");
                }
            }
        } catch (RuntimeException e) {
            throw new SetupException(file + " is not what the kernel writes (" + e.getMessage()
                    + "); it needs {\"mainClass\": ..., \"jar\": ..., \"jarSha256\": ...}");
        }
        Path jar = Path.of(object.get("jar").getAsString());
        if (!jar.isAbsolute()) {
            throw new SetupException(file + ": \"jar\" must be an absolute path, not " + jar);
        }
        return new Program(object.get("mainClass").getAsString(), jar, object.get("jarSha256").getAsString(),
                byteLimit(object, "maxInputBytes", file), byteLimit(object, "maxOutputBytes", file), names(object, "objectOutputs", file));
    }

    /** An optional list of Java names; absent: none. */
    private static java.util.Set<String> names(JsonObject program, String key, Path file) throws SetupException {
        JsonElement value = program.get(key);
        if (value == null) {
            return java.util.Set.of();
        }
        SetupException bad = new SetupException(file + ": \"" + key + "\" must be a list of Java names, not " + value);
        if (!value.isJsonArray()) {
            throw bad;
        }
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (JsonElement e : value.getAsJsonArray()) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || !javax.lang.model.SourceVersion.isIdentifier(e.getAsString())) {
                throw bad;
            }
            names.add(e.getAsString());
        }
        return java.util.Set.copyOf(names);
    }

    /** An optional positive whole number of bytes; absent: the default limit of a value in binary form. */
    private static long byteLimit(JsonObject program, String key, Path file) throws SetupException {
        JsonElement value = program.get(key);
        if (value == null) {
            return SerialValues.Limits.DEFAULT.maxBytes();
        }
        try {
            long bytes = value.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
            if (bytes > 0) {
                return bytes;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new SetupException(file + ": \"" + key + "\" must be a positive whole number of bytes, not " + value);
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

    /**
     * The index the cell sees ({@code --for}'s element): the task id minus {@code HPC_ARRAY_BASE}
     * (unset or empty: 0), for schedulers whose array task ids start at 1.
     */
    static Integer elementIndex(Integer taskIndex, String base) throws SetupException {
        if (taskIndex == null || base == null || base.isBlank()) {
            return taskIndex;
        }
        Integer first = arrayIndex(base.strip());
        if (first == null || first > taskIndex) {
            throw new SetupException("HPC_ARRAY_BASE must be a non-negative integer no greater than HPC_ARRAY_INDEX ("
                    + taskIndex + "), not \"" + base + "\"");
        }
        return taskIndex - first;
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
