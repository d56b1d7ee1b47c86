import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hpckernel.hpc.JobClasspath;
import org.hpckernel.hpc.WorkdirGuard;
import org.hpckernel.hpc.transport.CredentialPrompt;
import org.hpckernel.hpc.transport.SshSettings;
import org.hpckernel.hpc.transport.SshTransport;

/**
 * The jar cache's own cost over SSH, without the scheduler: staging the given jars into an empty
 * cache (upload) and into a full one (one stat per jar), interleaved. Prints one JSON line.
 *
 *   java -cp kernel/target/hpc-kernel.jar bench/maven/JarCacheStaging.java HOST PORT USER KEY KNOWN_HOSTS WORKDIR ROUNDS JAR...
 */
public class JarCacheStaging {
    public static void main(String[] a) throws Exception {
        var ssh = new SshSettings(a[0], Integer.parseInt(a[1]), a[2], a[3], a[4], null, false);
        String workdir = a[5];
        int rounds = Integer.parseInt(a[6]);
        List<String> jars = Arrays.asList(a).subList(7, a.length);
        try (SshTransport t = SshTransport.connect("bench", ssh, CredentialPrompt::none)) {
            WorkdirGuard.ensure(t, workdir);
            JobClasspath cp = JobClasspath.of(workdir, jars);
            List<Double> upload = new ArrayList<>(), cached = new ArrayList<>();
            for (int r = 0; r < rounds + 1; r++) {
                for (JobClasspath.CachedJar j : cp.jars()) t.delete(j.path());
                long s = System.nanoTime();
                int sent = cp.stage(t);
                double up = (System.nanoTime() - s) / 1e9;
                s = System.nanoTime();
                int again = cp.stage(t);
                double c = (System.nanoTime() - s) / 1e9;
                if (sent != jars.size() || again != 0) throw new IllegalStateException("uploaded " + sent + " then " + again);
                if (r > 0) { upload.add(up); cached.add(c); } // round 0 warms the JIT and the SFTP channel
            }
            System.out.printf("{\"upload\": %s, \"cached\": %s}%n", upload, cached);
        }
    }
}
