package io.nccsim.testutil;

import io.nccsim.cli.Main;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the nccsim command line in-process, as a user would, and keeps what it printed. */
public final class Cli {
    private Cli() {
    }

    public record Result(int code, String out, String err) {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }
}
