package org.hpckernel.maven;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.maven.settings.Settings;

/**
 * The user's settings over the installation's global ones, as Maven merges them: the user's local
 * repository when set, else the global one; mirrors, proxies, servers and profiles by id, the
 * user's first and a global entry only when the user has none of that id; active profiles and
 * plugin groups joined. Everything else (such as {@code <offline>}) is the user's.
 */
final class SettingsMerge {
    private SettingsMerge() {}

    static Settings userOverGlobal(Settings user, Settings global) {
        Settings merged = user.clone();
        if (merged.getLocalRepository() == null || merged.getLocalRepository().isBlank()) {
            merged.setLocalRepository(global.getLocalRepository());
        }
        merged.setMirrors(byId(user.getMirrors(), global.getMirrors(), m -> m.getId()));
        merged.setProxies(byId(user.getProxies(), global.getProxies(), p -> p.getId()));
        merged.setServers(byId(user.getServers(), global.getServers(), s -> s.getId()));
        merged.setProfiles(byId(user.getProfiles(), global.getProfiles(), p -> p.getId()));
        merged.setActiveProfiles(joined(user.getActiveProfiles(), global.getActiveProfiles()));
        merged.setPluginGroups(joined(user.getPluginGroups(), global.getPluginGroups()));
        return merged;
    }

    private static <T> List<T> byId(List<T> user, List<T> global, Function<T, String> id) {
        List<T> out = new ArrayList<>(user);
        Set<String> ids = new HashSet<>();
        for (T t : user) ids.add(id.apply(t));
        for (T t : global) {
            if (!ids.contains(id.apply(t))) out.add(t);
        }
        return out;
    }

    private static List<String> joined(List<String> user, List<String> global) {
        List<String> out = new ArrayList<>(user);
        for (String g : global) {
            if (!out.contains(g)) out.add(g);
        }
        return out;
    }
}
