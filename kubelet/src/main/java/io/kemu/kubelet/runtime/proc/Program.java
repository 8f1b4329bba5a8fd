package io.kemu.kubelet.runtime.proc;

/**
 * What an executable does when run as a process: {@link #main} starts it and must end in {@link Proc#exit} (now or
 * from a later continuation); {@link #signal} is its signal disposition, by default the kernel's (most signals
 * terminate, SIGCHLD and SIGWINCH are ignored).
 */
public interface Program {
  void main(Proc p);

  default void signal(Proc p, int sig) {
    p.defaultAction(sig);
  }
}
