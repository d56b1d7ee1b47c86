package org.hpckernel.hpc.options;


/**
 * What each %%hpc option's value should look like, in words, for error messages. Where the
 * option table's help already spells out the forms ("time limit: MM, MM:SS, …") that text is used
 * as is; the other entries describe the table's value pattern.
 */
public final class OptionForms {
    private static final String NAME_CHARS = "letters, digits, _ . or -, starting with a letter or digit";

    private OptionForms() {}

    /** What kind of thing the value is, e.g. "time limit". */
    public static String noun(HpcOption option) {
        return switch (option) {
            case CLUSTER -> "cluster name";
            case PARTITION -> "partition name";
            case TIME -> "time limit";
            case NODES -> "node count";
            case NTASKS -> "task count";
            case CPUS_PER_TASK -> "CPU count";
            case MEM -> "memory size";
            case GPUS -> "GPU request";
            case ACCOUNT -> "account name";
            case QOS -> "QOS name";
            case JOB_NAME -> "job name";
            case ARRAY -> "job array spec";
            case ENV -> "environment assignment";
            case MODULE -> "module name";
            case OUT -> "list of output names";
            case IN -> "variable name";
            case FOR -> "NAME:LIST pair";
            case MAX_INPUT -> "size";
            case DETACH, DRY_RUN, RESUBMIT -> throw new IllegalArgumentException(option + " takes no value");
        };
    }

    /** The accepted forms, e.g. "MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS". */
    public static String expected(HpcOption option) {
        return switch (option) {
            case TIME, MEM, ARRAY -> formsFromHelp(option);
            case CLUSTER -> "a cluster profile name (see %hpc clusters): at most 64 " + NAME_CHARS;
            case PARTITION -> "at most 128 letters, digits, _ . , or -, starting with a letter or digit";
            case NODES -> "N or MIN-MAX, positive whole numbers (e.g. 2 or 1-4)";
            case NTASKS, CPUS_PER_TASK -> "a positive whole number";
            case GPUS -> "N or TYPE:N (e.g. 2 or a100:1)";
            case ACCOUNT, QOS -> "at most 64 " + NAME_CHARS;
            case JOB_NAME -> "at most 64 letters, digits, _ . + or -, starting with a letter, digit or _";
            case ENV -> "K=V: a variable name (letters, digits and _, not starting with a digit), =, "
                    + "then a value without line breaks";
            case MODULE -> "a module such as java/17: letters, digits, _ . / + or -, starting with a letter, digit or _";
            case OUT -> "NAME[,NAME…]: Java variable names separated by commas (in a #! cell each may be NAME:TYPE,"
                    + " e.g. total:double or xs:List<Double>)";
            case IN -> "a notebook variable's name (letters, digits, _ or $, not starting with a digit)";
            case FOR -> "NAME:LIST: the element's name, a colon, and the notebook variable holding the list (e.g. p:params)";
            case MAX_INPUT -> "bytes, or a number with K, M or G (powers of 1024), e.g. 1048576, 512KB or 8MB";
            case DETACH, DRY_RUN, RESUBMIT -> throw new IllegalArgumentException(option + " takes no value");
        };
    }

    /** The message for a value that does not have the option's form, e.g. {@code "abc" is not a time limit; expected …}. */
    public static String notA(HpcOption option, String value) {
        String noun = noun(option);
        return Quoting.quote(value) + " is not " + article(noun) + " " + noun + "; expected " + expected(option);
    }

    private static String formsFromHelp(HpcOption option) {
        String help = option.help();
        int colon = help.indexOf(": ");
        return colon < 0 ? help : help.substring(colon + 2);
    }

    private static String article(String noun) {
        return "aeiouAEIOU".indexOf(noun.charAt(0)) >= 0 ? "an" : "a";
    }
}
