package org.hpckernel.magic;

import java.util.List;

/** What every magic tells the registry, for help and completion. */
public interface Magic {
    String name();

    /** One line for %lsmagic and completion metadata. */
    String summary();

    /** Candidates for the word being typed, given the words before it on the magic's line. */
    default List<String> complete(List<String> wordsBefore, String prefix) {
        return List.of();
    }
}
