package io.kemu.conf;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The kemu launcher: {@code kemu init} prepares a run directory, {@code kemu run --role …} starts one JVM. */
@Command(name = "kemu", mixinStandardHelpOptions = true, version = "kemu 0.1.0 (Kubernetes v1.32)",
    subcommands = {InitCommand.class, RunCommand.class, EtcdctlCommand.class,
        io.kemu.conf.bench.SchedulerBench.class},
    description = "A Kubernetes control-plane emulator built from Apache Pekko actor systems.")
public final class Kemu implements Runnable {
  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    int code = new CommandLine(new Kemu())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          // A clear one-line reason for the scripts' users; the stack trace only helps kemu's developers.
          System.err.println("kemu " + cmd.getCommandName() + ": " + e);
          return 1;
        })
        .execute(args);
    if (code != 0 || (args.length > 0 && !args[0].equals("run"))) {
      System.exit(code);
    }
  }
}
