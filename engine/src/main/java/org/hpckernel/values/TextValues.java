package org.hpckernel.values;

import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Portable values written as one JSON string, their ISO or canonical text: {@code java.time}
 * values, {@code UUID}, {@code URI} and file-system paths. {@code toString()} writes them and the
 * parser of the declared type reads them back, which for each of these is an exact round trip.
 */
final class TextValues {
    private static final Map<Class<?>, Function<String, Object>> PARSERS = Map.ofEntries(
            Map.entry(Instant.class, Instant::parse),
            Map.entry(LocalDate.class, LocalDate::parse),
            Map.entry(LocalDateTime.class, LocalDateTime::parse),
            Map.entry(LocalTime.class, LocalTime::parse),
            Map.entry(OffsetDateTime.class, OffsetDateTime::parse),
            Map.entry(OffsetTime.class, OffsetTime::parse),
            Map.entry(ZonedDateTime.class, ZonedDateTime::parse),
            Map.entry(Duration.class, Duration::parse),
            Map.entry(Period.class, Period::parse),
            Map.entry(Year.class, Year::parse),
            Map.entry(YearMonth.class, YearMonth::parse),
            Map.entry(MonthDay.class, MonthDay::parse),
            Map.entry(ZoneOffset.class, ZoneOffset::of),
            Map.entry(ZoneId.class, ZoneId::of),
            Map.entry(UUID.class, UUID::fromString),
            Map.entry(URI.class, URI::create),
            Map.entry(Path.class, Path::of));

    private TextValues() {}

    /** True for a value this class writes: its text is all there is to it. */
    static boolean isText(Object value) {
        if (PARSERS.containsKey(value.getClass()) || value instanceof ZoneId) {
            return true;
        }
        // A path inside a zip file or another provider's file system means nothing elsewhere.
        return value instanceof Path path && path.getFileSystem() == FileSystems.getDefault();
    }

    /** The classes whose values are read from their text. */
    static java.util.Set<Class<?>> types() {
        return PARSERS.keySet();
    }

    /** True if values of the declared class are read from their text. */
    static boolean isTextType(Class<?> type) {
        return PARSERS.containsKey(type);
    }

    /**
     * @throws RuntimeException (DateTimeParseException, IllegalArgumentException...) for text that
     *     is not a value of {@code type}
     */
    static Object parse(Class<?> type, String text) {
        return PARSERS.get(type).apply(text);
    }
}
