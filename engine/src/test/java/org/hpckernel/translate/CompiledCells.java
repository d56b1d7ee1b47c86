package org.hpckernel.translate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hpckernel.values.CellProgram;

/** Loads a compiled cell's jar the way a node would, in a class loader of its own. */
final class CompiledCells {
    private CompiledCells() {}

    static URLClassLoader loader(CompiledCell cell, Path directory) {
        try {
            Path jar = Files.write(directory.resolve(cell.jarSha256() + ".jar"), cell.jar());
            return new URLClassLoader(new URL[] {jar.toUri().toURL()}, CompiledCells.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CellProgram program(CompiledCell cell, ClassLoader loader) throws ReflectiveOperationException {
        return (CellProgram) loader.loadClass(cell.mainClass()).getConstructor().newInstance();
    }
}
