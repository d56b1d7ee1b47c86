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
        org.hpckernel.maven.MavenDependencies maven = new org.hpckernel.maven.MavenDependencies(org.hpckernel.maven.MavenSettings::load);
        registry.register(new MavenMagic(maven));
        registry.register(new MavenRepoMagic(maven));
        registry.register(new HpcCellMagic(hpc));
        registry.register(new HpcLineMagic(hpc, exporter));
        registry.register(new LsMagic(registry));
        return registry;
    }
}
