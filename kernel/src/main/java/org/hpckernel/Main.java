package org.hpckernel;

public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.err.println("hpc-kernel");
    }
}
