package org.hpckernel.magic;

/** The magics every session starts with. */
public final class Magics {
    private Magics() {}

    public static MagicRegistry standard(org.hpckernel.hpc.HpcSession hpc) {
        return standard(hpc, NotebookExporter.NONE);
    }

    public static MagicRegistry standard(org.hpckernel.hpc.HpcSession hpc, NotebookExporter exporter) {
        MagicRegistry registry = new MagicRegistry();
        registry.register(new ClasspathMagic("jars"));
        registry.register(new ClasspathMagic("classpath"));
        registry.register(new HpcCellMagic(hpc));
        registry.register(new HpcLineMagic(hpc, exporter));
        registry.register(new LsMagic(registry));
        return registry;
    }
}
