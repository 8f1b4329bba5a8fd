package io.kemu.kubelet.shell;

import io.kemu.kubelet.runtime.fs.FsException;
import io.kemu.kubelet.runtime.fs.Vfs;
import io.kemu.kubelet.runtime.proc.InStream;
import io.kemu.kubelet.runtime.proc.Kernel;
import io.kemu.kubelet.runtime.proc.Machine;
import io.kemu.kubelet.runtime.proc.OutStream;
import io.kemu.kubelet.runtime.proc.Pipe;
import io.kemu.kubelet.runtime.proc.Proc;
import io.kemu.kubelet.runtime.proc.Program;
import io.kemu.kubelet.runtime.proc.Signals;
import io.kemu.kubelet.shell.Ast.Node;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Executes the syntax tree in continuation-passing style, so that a shell never holds a thread: a command that
 * has to wait (a child process, sleep, a pipe, a substitution) registers its continuation and returns. Each step
 * checks for pending trapped signals (XCU 2.11: traps run between commands, after the foreground child ends) and
 * bounces through the node's kernel every few steps so that loops neither grow the stack nor starve other
 * processes. Pipelines, substitutions, subshells and background jobs are child processes running a copy of the
 * interpreter, as after fork(2).
 */
final class Interp implements Expander.Context {
  enum Ctl { NONE, BREAK, CONTINUE, RETURN }

  static final class Var {
    String value;
    boolean exported;
    boolean readonly;

    Var(String value, boolean exported) {
      this.value = value;
      this.exported = exported;
    }

    Var copy() {
      Var v = new Var(value, exported);
      v.readonly = readonly;
      return v;
    }
  }

  /** A descriptor table: 0..9. */
  static final class Fds {
    final InStream[] in = new InStream[10];
    final OutStream[] out = new OutStream[10];
    final List<Runnable> toClose = new ArrayList<>();

    Fds copy() {
      Fds f = new Fds();
      System.arraycopy(in, 0, f.in, 0, 10);
      System.arraycopy(out, 0, f.out, 0, 10);
      return f;
    }

    InStream stdin() {
      return in[0];
    }

    OutStream stdout() {
      return out[1];
    }

    OutStream stderr() {
      return out[2];
    }

    void close() {
      toClose.forEach(Runnable::run);
      toClose.clear();
    }
  }

  static final Set<String> SPECIAL_BUILTINS = Set.of(":", ".", "break", "continue", "eval", "exec", "exit", "export",
      "readonly", "return", "set", "shift", "times", "trap", "unset");

  final Shell.Flavor flavor;
  Proc proc;
  final Machine machine;
  final Kernel kernel;
  Map<String, Var> vars = new LinkedHashMap<>();
  List<String> positional = new ArrayList<>();
  String arg0 = "sh";
  Map<String, Node> functions = new HashMap<>();
  Map<Integer, String> traps = new HashMap<>();
  int status;
  int lastBg;
  int shellPid;
  boolean errexit;
  boolean nounset;
  boolean xtrace;
  boolean pipefail;
  boolean noglob;
  boolean noclobber;
  boolean allexport;
  Ctl ctl = Ctl.NONE;
  int ctlLevels;
  int returnStatus;
  Fds fds = new Fds();
  final List<Proc> jobs = new ArrayList<>();
  final ArrayDeque<Integer> pending = new ArrayDeque<>();
  int steps;
  int loopDepth;
  int funcDepth;
  int errexitSuppressed;
  int line;
  int lastSubStatus = -1;
  boolean inTrap;
  boolean exiting;
  /** Set while the wait builtin waits: a trapped signal ends the wait. */
  IntConsumer waitInterrupt;
  /** A subshell whose body is one simple command replaces itself with the command (exec), as shells do. */
  boolean execLast;
  final ArrayDeque<Map<String, Var>> localFrames = new ArrayDeque<>();
  final Expander expander = new Expander(this);
  private final Map<String, Node> trapCache = new HashMap<>();

  Interp(Shell.Flavor flavor, Proc proc) {
    this.flavor = flavor;
    this.proc = proc;
    this.machine = proc.machine();
    this.kernel = proc.kernel();
    this.shellPid = proc.pid();
    proc.env().forEach((k, v) -> vars.put(k, new Var(v, true)));
    if (!vars.containsKey("PATH")) {
      vars.put("PATH", new Var(Machine.DEFAULT_PATH, false));
    }
    vars.putIfAbsent("PWD", new Var(proc.cwd(), true));
    vars.put("PPID", new Var(Integer.toString(proc.parent() == null ? 0 : proc.parent().pid()), false));
    vars.putIfAbsent("PS1", new Var("# ", false));
    vars.putIfAbsent("PS2", new Var("> ", false));
    vars.putIfAbsent("PS4", new Var("+ ", false));
    fds.in[0] = proc.stdin();
    fds.out[1] = proc.stdout();
    fds.out[2] = proc.stderr();
  }

  /** fork(2): a copy for a child process (subshell, pipeline element, substitution, background job). */
  Interp fork(Proc child) {
    Interp c = new Interp(flavor, child, this);
    return c;
  }

  private Interp(Shell.Flavor flavor, Proc child, Interp parent) {
    this.flavor = flavor;
    this.proc = child;
    this.machine = child.machine();
    this.kernel = child.kernel();
    this.shellPid = parent.shellPid;
    parent.vars.forEach((k, v) -> vars.put(k, v.copy()));
    positional = new ArrayList<>(parent.positional);
    arg0 = parent.arg0;
    functions = new HashMap<>(parent.functions);
    // traps are reset in a subshell, except ignored signals
    parent.traps.forEach((sig, action) -> {
      if (action.isEmpty()) {
        traps.put(sig, action);
      }
    });
    status = parent.status;
    lastBg = parent.lastBg;
    errexit = parent.errexit;
    nounset = parent.nounset;
    xtrace = parent.xtrace;
    pipefail = parent.pipefail;
    noglob = parent.noglob;
    noclobber = parent.noclobber;
    line = parent.line;
    for (int i = 3; i < 10; i++) {
      fds.in[i] = parent.fds.in[i] == null ? null : parent.fds.in[i].dup();
      fds.out[i] = parent.fds.out[i] == null ? null : parent.fds.out[i].dup();
    }
    fds.in[0] = child.stdin();
    fds.out[1] = child.stdout();
    fds.out[2] = child.stderr();
  }

  // ---------------------------------------------------------------- Expander.Context

  @Override
  public String var(String name) {
    Var v = vars.get(name);
    return v == null ? null : v.value;
  }

  @Override
  public void assign(String name, String value) {
    Var v = vars.get(name);
    if (v != null && v.readonly) {
      throw new Expander.ExpansionError(name + ": is read only");
    }
    if (v == null) {
      vars.put(name, new Var(value, allexport));
    } else {
      v.value = value;
    }
    if (name.equals("PWD")) {
      proc.setCwd(value);
    }
  }

  @Override
  public List<String> positional() {
    return positional;
  }

  @Override
  public String arg0() {
    return arg0;
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public int shellPid() {
    return shellPid;
  }

  @Override
  public int lastBackground() {
    return lastBg;
  }

  @Override
  public String optionFlags() {
    StringBuilder sb = new StringBuilder();
    if (errexit) {
      sb.append('e');
    }
    if (noglob) {
      sb.append('f');
    }
    if (nounset) {
      sb.append('u');
    }
    if (xtrace) {
      sb.append('x');
    }
    return sb.toString();
  }

  @Override
  public boolean nounset() {
    return nounset;
  }

  @Override
  public boolean noglob() {
    return noglob;
  }

  @Override
  public String cwd() {
    return proc.cwd();
  }

  @Override
  public Vfs fs() {
    return machine.fs();
  }

  Map<String, String> exportedEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    vars.forEach((k, v) -> {
      if (v.exported && v.value != null) {
        env.put(k, v.value);
      }
    });
    return env;
  }

  // ---------------------------------------------------------------- messages

  /** An error line the way this shell prints it: "sh: msg", "sh: 3: msg" or "bash: line 3: msg". */
  String errorLine(String msg) {
    return switch (flavor) {
      case ASH -> arg0 + ": " + msg;
      case DASH -> arg0 + ": " + Math.max(line, 1) + ": " + msg;
      case BASH -> arg0 + ": line " + Math.max(line, 1) + ": " + msg;
    };
  }

  void error(String msg) {
    write(fds.stderr(), errorLine(msg) + "\n");
  }

  void write(OutStream out, String s) {
    out.write(s.getBytes(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- stepping

  /** Runs the next step: pending traps first; every few steps from a fresh stack. */
  void step(Runnable r) {
    if (proc.exited()) {
      return;
    }
    if (!pending.isEmpty() && !inTrap) {
      int sig = pending.poll();
      runTrap(sig, () -> step(r));
      return;
    }
    OutStream out = fds.stdout();
    if (out != null && out.isFull()) {
      out.onDrained(proc.guard(() -> step(r)));
      return;
    }
    if (++steps > 48) {
      post(r);
      return;
    }
    r.run();
  }

  void post(Runnable r) {
    kernel.post(() -> {
      if (!proc.exited()) {
        steps = 0;
        r.run();
      }
    });
  }

  /** A signal reached this shell (from kill, or the runtime stopping the container). */
  void signal(int sig) {
    String action = traps.get(sig);
    if (action != null) {
      if (action.isEmpty()) {
        return;
      }
      pending.add(sig);
      IntConsumer w = waitInterrupt;
      if (w != null) {
        waitInterrupt = null;
        w.accept(128 + sig);
      }
      return;
    }
    proc.defaultAction(sig);
  }

  private void runTrap(int sig, Runnable then) {
    String action = traps.get(sig);
    if (action == null || action.isEmpty()) {
      then.run();
      return;
    }
    Node n;
    try {
      n = trapCache.computeIfAbsent(action, Parser::parse);
    } catch (ShellSyntaxException e) {
      then.run();
      return;
    }
    int saved = status;
    inTrap = true;
    run(n, st -> {
      inTrap = false;
      status = saved;
      then.run();
    });
  }

  /** exit: runs the EXIT trap once, then ends the process. */
  void exitShell(int code) {
    if (proc.exited()) {
      return;
    }
    String trap = traps.get(Signals.EXIT);
    if (exiting || trap == null || trap.isEmpty()) {
      proc.exit(code);
      return;
    }
    exiting = true;
    status = code;
    Node n;
    try {
      n = Parser.parse(trap);
    } catch (ShellSyntaxException e) {
      proc.exit(code);
      return;
    }
    pending.clear();
    inTrap = true;
    run(n, st -> proc.exit(code));
  }

  /** Runs a script to its end, then exits with its status. */
  void runScript(Node script) {
    run(script, st -> exitShell(st));
  }

  // ---------------------------------------------------------------- commands

  void run(Node n, IntConsumer k) {
    step(() -> dispatch(n, k));
  }

  private void dispatch(Node n, IntConsumer k) {
    if (n instanceof Ast.Seq s) {
      seq(s.items(), 0, status, k);
    } else if (n instanceof Ast.Simple s) {
      simple(s, k);
    } else if (n instanceof Ast.AndOr a) {
      andOr(a, k);
    } else if (n instanceof Ast.Pipeline p) {
      pipeline(p, k);
    } else if (n instanceof Ast.Redirected r) {
      redirected(r, k);
    } else if (n instanceof Ast.Brace b) {
      run(b.body(), k);
    } else if (n instanceof Ast.Subshell s) {
      subshell(s.body(), k);
    } else if (n instanceof Ast.If i) {
      ifBranch(i, 0, k);
    } else if (n instanceof Ast.Loop l) {
      loopDepth++;
      loop(l, 0, st -> {
        loopDepth--;
        k.accept(st);
      });
    } else if (n instanceof Ast.For f) {
      forLoop(f, k);
    } else if (n instanceof Ast.Case c) {
      caseCommand(c, k);
    } else if (n instanceof Ast.FuncDef f) {
      functions.put(f.name(), f.body());
      k.accept(0);
    } else if (n instanceof Ast.Background b) {
      background(b.command(), k);
    } else {
      k.accept(0);
    }
  }

  private boolean errexitApplies(int st) {
    return errexit && st != 0 && errexitSuppressed == 0 && ctl == Ctl.NONE;
  }

  private void seq(List<Node> items, int i, int last, IntConsumer k) {
    if (i == items.size()) {
      k.accept(last);
      return;
    }
    run(items.get(i), st -> {
      status = st;
      if (errexitApplies(st) && !(items.get(i) instanceof Ast.AndOr) && !isNegated(items.get(i))) {
        exitShell(st);
        return;
      }
      if (ctl != Ctl.NONE) {
        k.accept(st);
        return;
      }
      seq(items, i + 1, st, k);
    });
  }

  private static boolean isNegated(Node n) {
    return n instanceof Ast.Pipeline p && p.negate();
  }

  private void andOr(Ast.AndOr a, IntConsumer k) {
    errexitSuppressed++;
    run(a.items().get(0), st -> andOrNext(a, 0, st, k));
  }

  private void andOrNext(Ast.AndOr a, int op, int st, IntConsumer k) {
    status = st;
    if (ctl != Ctl.NONE || op >= a.andOps().size()) {
      errexitSuppressed--;
      k.accept(st);
      return;
    }
    boolean and = a.andOps().get(op);
    if (and == (st == 0)) {
      boolean lastOne = op == a.andOps().size() - 1;
      if (lastOne) {
        errexitSuppressed--;
        run(a.items().get(op + 1), st2 -> {
          status = st2;
          if (errexitApplies(st2)) {
            exitShell(st2);
            return;
          }
          k.accept(st2);
        });
        return;
      }
      run(a.items().get(op + 1), st2 -> andOrNext(a, op + 1, st2, k));
    } else {
      andOrNext(a, op + 1, st, k);
    }
  }

  private void ifBranch(Ast.If n, int i, IntConsumer k) {
    if (i == n.conditions().size()) {
      if (n.elseBody() != null) {
        run(n.elseBody(), k);
      } else {
        k.accept(0);
      }
      return;
    }
    errexitSuppressed++;
    run(n.conditions().get(i), st -> {
      errexitSuppressed--;
      status = st;
      if (ctl != Ctl.NONE) {
        k.accept(st);
      } else if (st == 0) {
        run(n.bodies().get(i), k);
      } else {
        ifBranch(n, i + 1, k);
      }
    });
  }

  private void loop(Ast.Loop l, int last, IntConsumer k) {
    errexitSuppressed++;
    run(l.condition(), cst -> {
      errexitSuppressed--;
      if (ctl != Ctl.NONE) {
        if (loopControl()) {
          k.accept(last);
        } else {
          post(() -> loop(l, last, k));
        }
        return;
      }
      boolean go = l.until() ? cst != 0 : cst == 0;
      if (!go) {
        k.accept(last);
        return;
      }
      run(l.body(), bst -> {
        status = bst;
        if (ctl != Ctl.NONE && loopControl()) {
          k.accept(bst);
          return;
        }
        post(() -> loop(l, bst, k));
      });
    });
  }

  /** After a body set ctl: true if this loop must end (break, return, or continue of an outer loop). */
  private boolean loopControl() {
    switch (ctl) {
      case BREAK -> {
        if (--ctlLevels <= 0) {
          ctl = Ctl.NONE;
        }
        return true;
      }
      case CONTINUE -> {
        if (--ctlLevels <= 0) {
          ctl = Ctl.NONE;
          return false;
        }
        return true;
      }
      default -> {
        return true;
      }
    }
  }

  private void forLoop(Ast.For f, IntConsumer k) {
    Expander.Session s = new Expander.Session();
    Supplier<List<String>> words = f.words() == null ? () -> new ArrayList<>(positional)
        : () -> expander.fields(f.words(), s);
    expand(words, s, items -> {
      loopDepth++;
      forIter(f, items, 0, 0, st -> {
        loopDepth--;
        k.accept(st);
      });
    }, k);
  }

  private void forIter(Ast.For f, List<String> items, int i, int last, IntConsumer k) {
    if (i >= items.size()) {
      k.accept(last);
      return;
    }
    try {
      assign(f.name(), items.get(i));
    } catch (Expander.ExpansionError e) {
      error(e.getMessage());
      k.accept(1);
      return;
    }
    run(f.body(), st -> {
      status = st;
      if (ctl != Ctl.NONE && loopControl()) {
        k.accept(st);
        return;
      }
      post(() -> forIter(f, items, i + 1, st, k));
    });
  }

  private void caseCommand(Ast.Case c, IntConsumer k) {
    Expander.Session s = new Expander.Session();
    expand(() -> {
      String subject = expander.string(c.subject(), s);
      for (int i = 0; i < c.items().size(); i++) {
        for (Ast.Word p : c.items().get(i).patterns()) {
          if (Glob.matches(expander.pattern(p, s), subject)) {
            return i;
          }
        }
      }
      return -1;
    }, s, idx -> {
      if (idx < 0) {
        k.accept(0);
      } else {
        run(c.items().get(idx).body(), k);
      }
    }, k);
  }

  private void redirected(Ast.Redirected r, IntConsumer k) {
    withRedirects(r.redirs(), fds.copy(), f -> {
      Fds saved = fds;
      fds = f;
      run(r.body(), st -> {
        fds = saved;
        f.close();
        k.accept(st);
      });
    }, k);
  }

  // ---------------------------------------------------------------- processes

  /** A child process running a copy of this interpreter on {@code body}. */
  Proc spawnSubshell(Node body, InStream in, OutStream out, OutStream err, boolean exec) {
    Interp[] child = new Interp[1];
    Program program = new Program() {
      @Override
      public void main(Proc p) {
        Interp c = child[0];
        c.execLast = exec;
        c.runScript(body);
      }

      @Override
      public void signal(Proc p, int sig) {
        child[0].signal(sig);
      }
    };
    Proc p = machine.spawn(proc, proc.argv(), exportedEnv(), proc.cwd(), in, out, err, program);
    child[0] = fork(p);
    return p;
  }

  private void subshell(Node body, IntConsumer k) {
    Proc p = spawnSubshell(body, fds.stdin().dup(), fds.stdout().dup(), fds.stderr().dup(), false);
    p.onExit(st -> step(() -> k.accept(st)));
  }

  private void background(Node cmd, IntConsumer k) {
    Proc p = spawnSubshell(cmd, InStream.empty(kernel), fds.stdout().dup(), fds.stderr().dup(),
        cmd instanceof Ast.Simple);
    jobs.add(p);
    lastBg = p.pid();
    k.accept(0);
  }

  private void pipeline(Ast.Pipeline p, IntConsumer k) {
    if (p.commands().size() == 1) {
      errexitSuppressed += p.negate() ? 1 : 0;
      run(p.commands().get(0), st -> {
        errexitSuppressed -= p.negate() ? 1 : 0;
        k.accept(p.negate() ? (st == 0 ? 1 : 0) : st);
      });
      return;
    }
    int n = p.commands().size();
    List<Proc> procs = new ArrayList<>();
    InStream in = fds.stdin().dup();
    for (int i = 0; i < n; i++) {
      OutStream out;
      InStream nextIn = null;
      if (i < n - 1) {
        Pipe pipe = new Pipe(kernel);
        out = pipe.writer();
        nextIn = pipe.reader();
      } else {
        out = fds.stdout().dup();
      }
      Node cmd = p.commands().get(i);
      procs.add(spawnSubshell(cmd, in, out, fds.stderr().dup(), cmd instanceof Ast.Simple));
      in = nextIn;
    }
    int[] statuses = new int[n];
    int[] remaining = {n};
    for (int i = 0; i < n; i++) {
      int idx = i;
      procs.get(i).onExit(st -> {
        statuses[idx] = st;
        if (--remaining[0] == 0) {
          int result = statuses[n - 1];
          if (pipefail) {
            for (int s : statuses) {
              if (s != 0) {
                result = s;
              }
            }
          }
          int fin = p.negate() ? (result == 0 ? 1 : 0) : result;
          step(() -> k.accept(fin));
        }
      });
    }
  }

  /** $(...): the output of a child interpreter, trailing newlines removed. */
  void commandSubstitution(Ast.CommandSub node, Consumer<String> k) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    OutStream capture = buf::writeBytes;
    Proc p = spawnSubshell(node.program(), fds.stdin().dup(), capture, fds.stderr().dup(),
        node.program() instanceof Ast.Simple);
    p.onExit(st -> {
      lastSubStatus = st;
      String s = buf.toString(StandardCharsets.UTF_8);
      int end = s.length();
      while (end > 0 && s.charAt(end - 1) == '\n') {
        end--;
      }
      String out = s.substring(0, end);
      step(() -> k.accept(out));
    });
  }

  /** Runs an expansion, running command substitutions as they are needed. */
  <T> void expand(Supplier<T> f, Expander.Session s, Consumer<T> k, IntConsumer onError) {
    T result;
    try {
      result = f.get();
    } catch (Expander.NeedSubstitution ns) {
      commandSubstitution(ns.node, out -> {
        s.substitutions.put(ns.node, out);
        expand(f, s, k, onError);
      });
      return;
    } catch (Expander.ExpansionError e) {
      error(e.getMessage());
      // a non-interactive shell exits on an expansion error (XCU 2.8.1)
      exitShell(flavor == Shell.Flavor.BASH ? 1 : 2);
      return;
    }
    k.accept(result);
  }

  // ---------------------------------------------------------------- simple commands

  private void simple(Ast.Simple s, IntConsumer k) {
    line = s.line();
    Expander.Session session = new Expander.Session();
    lastSubStatus = -1;
    expand(() -> expander.fields(s.words(), session), session, argv -> {
      List<String[]> assigns = new ArrayList<>();
      expand(() -> {
        assigns.clear();
        for (Ast.Assign a : s.assigns()) {
          String v = expander.string(a.value(), session);
          assigns.add(new String[] {a.name(), a.append() ? (var(a.name()) == null ? "" : var(a.name())) + v : v});
        }
        return assigns;
      }, session, as -> {
        if (argv.isEmpty()) {
          for (String[] a : as) {
            try {
              assign(a[0], a[1]);
              if (xtrace) {
                write(fds.stderr(), var("PS4") + a[0] + "=" + a[1] + "\n");
              }
            } catch (Expander.ExpansionError e) {
              error(e.getMessage());
              k.accept(1);
              return;
            }
          }
          int st = lastSubStatus >= 0 ? lastSubStatus : 0;
          withRedirects(s.redirs(), fds.copy(), f -> {
            f.close();
            k.accept(st);
          }, k);
          return;
        }
        withRedirects(s.redirs(), fds.copy(), f -> command(argv, as, f, st -> {
          f.close();
          k.accept(st);
        }), k);
      }, k);
    }, k);
  }

  private void command(List<String> argv, List<String[]> assigns, Fds f, IntConsumer k) {
    String name = argv.get(0);
    if (xtrace) {
      write(fds.stderr(), var("PS4") + String.join(" ", argv) + "\n");
    }
    if (SPECIAL_BUILTINS.contains(name)) {
      for (String[] a : assigns) {
        assign(a[0], a[1]);
      }
      Builtins.run(this, argv, f, k);
      return;
    }
    Node fn = functions.get(name);
    if (fn != null) {
      withTemporary(assigns, restore -> callFunction(fn, argv, f, st -> {
        restore.run();
        k.accept(st);
      }));
      return;
    }
    if (Builtins.isBuiltin(this, name)) {
      withTemporary(assigns, restore -> Builtins.run(this, argv, f, st -> {
        restore.run();
        k.accept(st);
      }));
      return;
    }
    external(argv, assigns, f, k);
  }

  private void withTemporary(List<String[]> assigns, Consumer<Runnable> body) {
    if (assigns.isEmpty()) {
      body.accept(() -> { });
      return;
    }
    Map<String, Var> saved = new LinkedHashMap<>();
    for (String[] a : assigns) {
      Var v = vars.get(a[0]);
      saved.put(a[0], v == null ? null : v.copy());
      vars.put(a[0], new Var(a[1], true));
    }
    body.accept(() -> saved.forEach((n, v) -> {
      if (v == null) {
        vars.remove(n);
      } else {
        vars.put(n, v);
      }
    }));
  }

  void callFunction(Node body, List<String> argv, Fds f, IntConsumer k) {
    List<String> savedPos = positional;
    Fds savedFds = fds;
    positional = new ArrayList<>(argv.subList(1, argv.size()));
    fds = f;
    funcDepth++;
    localFrames.push(new HashMap<>());
    run(body, st -> {
      Map<String, Var> locals = localFrames.pop();
      locals.forEach((n, v) -> {
        if (v == null) {
          vars.remove(n);
        } else {
          vars.put(n, v);
        }
      });
      funcDepth--;
      positional = savedPos;
      fds = savedFds;
      int result = st;
      if (ctl == Ctl.RETURN) {
        ctl = Ctl.NONE;
        result = returnStatus;
      }
      k.accept(result);
    });
  }

  /** Runs a program file found on PATH (or by path) as a child process; waits for it in the foreground. */
  void external(List<String> argv, List<String[]> assigns, Fds f, IntConsumer k) {
    Map<String, String> env = exportedEnv();
    for (String[] a : assigns) {
      env.put(a[0], a[1]);
    }
    Machine.Lookup l = machine.lookup(argv, env, proc.cwd());
    if (!l.found()) {
      String cmd = argv.get(0);
      switch (l.failure()) {
        case NOT_FOUND -> {
          if (cmd.contains("/")) {
            error(flavor == Shell.Flavor.BASH ? cmd + ": No such file or directory" : cmd + ": not found");
          } else {
            error(cmd + (flavor == Shell.Flavor.BASH ? ": command not found" : ": not found"));
          }
          k.accept(127);
        }
        case PERMISSION_DENIED -> {
          error(cmd + ": Permission denied");
          k.accept(126);
        }
        default -> {
          error(cmd + (flavor == Shell.Flavor.BASH ? ": Is a directory" : ": Permission denied"));
          k.accept(126);
        }
      }
      return;
    }
    if (execLast && traps.isEmpty()) {
      // the subshell (or sh -c) becomes the command: same pid, as real shells exec the last command
      execLast = false;
      proc.replaceIo(f.stdin(), f.stdout(), f.stderr());
      proc.exec(l.argv(), env, l.program());
      return;
    }
    Proc child = machine.spawn(proc, l.argv(), env, proc.cwd(), f.stdin().dup(), f.stdout().dup(),
        f.stderr().dup(), l.program());
    child.onExit(st -> step(() -> k.accept(st)));
  }

  // ---------------------------------------------------------------- redirections

  void withRedirects(List<Ast.Redir> redirs, Fds f, Consumer<Fds> k, IntConsumer fail) {
    redirect(redirs, 0, f, k, fail);
  }

  private void redirect(List<Ast.Redir> redirs, int i, Fds f, Consumer<Fds> k, IntConsumer fail) {
    if (i == redirs.size()) {
      k.accept(f);
      return;
    }
    Ast.Redir r = redirs.get(i);
    Expander.Session s = new Expander.Session();
    Supplier<String> target = r.hereDoc() != null
        ? () -> r.hereDoc().expand ? expander.string(Lexer.hereDocWord(r.hereDoc().body), s) : r.hereDoc().body
        : () -> expander.string(r.target(), s);
    expand(target, s, t -> {
      String err = apply(r, t, f);
      if (err != null) {
        error(err);
        f.close();
        fail.accept(1);
        return;
      }
      redirect(redirs, i + 1, f, k, fail);
    }, fail);
  }

  /** Applies one redirection to the table; returns an error message, or null. */
  private String apply(Ast.Redir r, String target, Fds f) {
    String op = r.op();
    int fd = r.fd() >= 0 ? r.fd() : (op.startsWith("<") ? 0 : 1);
    if (fd > 9) {
      return fd + ": Bad file descriptor";
    }
    try {
      switch (op) {
        case "<<", "<<-" -> f.in[fd] = InStream.of(kernel, target.getBytes(StandardCharsets.UTF_8));
        case "<", "<>" -> {
          if (target.equals("/dev/stdin")) {
            return null;
          }
          if (op.equals("<>") && !machine.fs().exists(proc.cwd(), target)) {
            machine.fs().openForWrite(proc.cwd(), target, true);
          }
          Vfs.Node n = machine.fs().stat(proc.cwd(), target);
          if (n instanceof Vfs.File file && file.device != null) {
            f.in[fd] = InStream.empty(kernel);
          } else {
            f.in[fd] = InStream.of(kernel, machine.fs().read(proc.cwd(), target));
          }
        }
        case ">", ">|", ">>", "&>" -> {
          OutStream out = openOut(target, op.equals(">>"), op.equals(">") && noclobber, f);
          if (op.equals("&>")) {
            f.out[1] = out;
            f.out[2] = out;
          } else {
            f.out[fd] = out;
          }
        }
        case ">&", "<&" -> {
          if (target.equals("-")) {
            if (op.equals(">&")) {
              f.out[fd] = OutStream.NULL;
            } else {
              f.in[fd] = InStream.empty(kernel);
            }
            return null;
          }
          int src;
          try {
            src = Integer.parseInt(target);
          } catch (NumberFormatException e) {
            if (op.equals(">&") && r.fd() < 0) {
              OutStream out = openOut(target, false, false, f);
              f.out[1] = out;
              f.out[2] = out;
              return null;
            }
            return target + ": Bad file descriptor";
          }
          if (src > 9) {
            return src + ": Bad file descriptor";
          }
          if (op.equals(">&")) {
            if (f.out[src] == null) {
              return src + ": Bad file descriptor";
            }
            f.out[fd] = f.out[src];
          } else {
            if (f.in[src] == null) {
              return src + ": Bad file descriptor";
            }
            f.in[fd] = f.in[src];
          }
        }
        default -> {
          return "unsupported redirection " + op;
        }
      }
    } catch (FsException e) {
      return switch (flavor) {
        case ASH -> "can't " + (op.startsWith("<") ? "open" : "create") + " " + target + ": " + e.reason();
        case DASH -> "cannot " + (op.startsWith("<") ? "open" : "create") + " " + target + ": " + e.reason();
        case BASH -> target + ": " + e.reason();
      };
    }
    return null;
  }

  private OutStream openOut(String target, boolean append, boolean noClobber, Fds f) throws FsException {
    switch (target) {
      case "/dev/null" -> {
        return OutStream.NULL;
      }
      case "/dev/stdout", "/proc/self/fd/1", "/dev/fd/1" -> {
        return f.out[1];
      }
      case "/dev/stderr", "/proc/self/fd/2", "/dev/fd/2" -> {
        return f.out[2];
      }
      default -> {
      }
    }
    if (noClobber && machine.fs().isFile(proc.cwd(), target)) {
      throw new FsException(FsException.Errno.EEXIST, target);
    }
    Vfs.File file = machine.fs().openForWrite(proc.cwd(), target, append);
    Vfs fs = machine.fs();
    return data -> {
      file.append(data);
      file.mtime = fs.now();
    };
  }

  // ---------------------------------------------------------------- helpers for builtins

  /** Parses and runs a string in this shell (eval, ., trap actions). */
  void evalString(String script, IntConsumer k) {
    Node n;
    try {
      n = Parser.parse(script);
    } catch (ShellSyntaxException e) {
      error(Shell.syntaxMessage(flavor, e));
      k.accept(2);
      return;
    }
    run(n, k);
  }

  /** Cached identity for the wait builtin. */
  final Map<Proc, Integer> reaped = new IdentityHashMap<>();
}
