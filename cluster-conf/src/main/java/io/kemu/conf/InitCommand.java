package io.kemu.conf;

import io.kemu.conf.pki.Identity;
import io.kemu.conf.pki.Kubeconfig;
import io.kemu.conf.pki.Pki;
import io.kemu.conf.pki.PkiOptions;
import io.kemu.conf.pki.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prepares a run directory: the cluster CA and serving certificate (kept across runs), a token for every
 * identity (admin, viewer, scheduler, controller-manager and each node's kubelet) and the kubeconfig.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Create (or complete) the PKI, token file and kubeconfig of a run directory.")
public final class InitCommand implements Callable<Integer> {
  @Option(names = "--run-dir", defaultValue = "run", description = "Run directory (default: ${DEFAULT-VALUE}).")
  Path runDir;

  @Option(names = "--nodes", defaultValue = "4", description = "Number of emulated nodes (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--node-name-prefix", defaultValue = "node-", description = "Node names are <prefix><n>.")
  String nodePrefix;

  @Option(names = "--apiserver-port", defaultValue = "6443", description = "HTTPS port (default: ${DEFAULT-VALUE}).")
  int apiserverPort;

  @Override
  public Integer call() throws Exception {
    Path pkiDir = runDir.resolve("pki");
    Files.createDirectories(pkiDir);
    Pki pki = Pki.ensure(pkiDir, PkiOptions.defaults());
    List<String> nodeNames = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      nodeNames.add(nodePrefix + i);
    }
    Map<String, String> tokens = Tokens.ensure(pkiDir.resolve("tokens.csv"), Identity.kemu(nodeNames));
    Kubeconfig.write(runDir.resolve("kubeconfig"), "https://127.0.0.1:" + apiserverPort, pki.caCrt(),
        Map.of("admin", tokens.get("admin"), "viewer", tokens.get("viewer")), List.of("admin", "viewer"), "admin");
    System.out.println("kemu: run directory " + runDir.toAbsolutePath() + " ready (" + nodes + " node identities)");
    return 0;
  }
}
