import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

/** A child process whose output is captured, so a failing test can show it. */
export interface RunningProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves when the output matches, rejects if the process exits first or on timeout. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends a signal and waits for the exit; returns the exit code (null when killed by the signal). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  /** Resolves with the exit code once the process has exited. */
  exited(): Promise<number | null>;
}

export function startProcess(command: string, args: string[], options: SpawnOptions = {}): RunningProcess {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  let log = "";
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    log += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exit = new Promise<number | null>((resolveExit) => {
    if (child.exitCode !== null) resolveExit(child.exitCode);
    child.once("exit", (code) => resolveExit(code));
  });
  let done = false;
  void exit.then(() => {
    done = true;
    for (const listener of listeners) listener();
  });

  return {
    child,
    output: () => log,
    exited: () => exit,
    waitForOutput(pattern, timeoutMs = 30_000) {
      return new Promise((resolveWait, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} from ${command}; output:\n${log}`));
        }, timeoutMs);
        const check = () => {
          if (pattern.test(log)) {
            clearTimeout(timer);
            listeners.delete(check);
            resolveWait();
          } else if (done) {
            clearTimeout(timer);
            listeners.delete(check);
            reject(new Error(`${command} exited (${child.exitCode}) before printing ${pattern}; output:\n${log}`));
          }
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = "SIGTERM", timeoutMs = 15_000) {
      if (done) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const code = await exit;
      clearTimeout(timer);
      return code;
    },
  };
}
