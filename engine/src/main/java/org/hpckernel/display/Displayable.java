package org.hpckernel.display;

/**
 * Implemented by user classes that know how to show themselves; {@link MimeRenderer} uses the
 * bundle as is, whether the object is displayed or is a cell's final value.
 */
public interface Displayable {
    MimeBundle toMimeBundle();
}
