package io.nccsim.driver;

/** Receives progress of a long run; the command line shows it, tests ignore it. */
public interface Progress {
    Progress NONE = (label, done, total) -> { };

    /** {@code done} of {@code total} steps of the run named {@code label} are finished. */
    void update(String label, int done, int total);
}
