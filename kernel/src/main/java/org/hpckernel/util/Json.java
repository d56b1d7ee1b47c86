package org.hpckernel.util;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The one Gson configuration: protocol frames, job packages and the job ledger. Null record fields are left out, so an "ok" reply carries no null ename/evalue/traceback keys; nulls inside lists are kept. */
public final class Json {
    public static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private Json() {}
}
