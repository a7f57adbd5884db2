import { BOARD_COMMAND, BoardConfigError, parseBoardCommand, USAGE } from "./config.js";
import { hashPassword } from "./password-hash.js";
import { readPassword } from "./read-password.js";
import { startBoard, type RunningBoard } from "./server.js";

async function hashPasswordCommand(): Promise<number> {
  const password = await readPassword("Password: ");
  if (process.stdin.isTTY && (await readPassword("Again: ")) !== password) {
    process.stderr.write(`${BOARD_COMMAND}: the two passwords differ\n`);
    return 1;
  }
  if (password.length < 12) {
    process.stderr.write(`${BOARD_COMMAND}: use a password of at least 12 characters\n`);
    return 1;
  }
  process.stdout.write(`${await hashPassword(password)}\n`);
  return 0;
}

function closeOnSignals(board: RunningBoard): void {
  const shutdown = (signal: NodeJS.Signals) => {
    process.stderr.write(`[${BOARD_COMMAND}] ${signal}: shutting down\n`);
    board.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

/**
 * `canopy board`: argv are the arguments after `board` (apps/board/src/main.ts runs it alone in development).
 * `serve` resolves once the board listens and keeps the process alive until SIGINT/SIGTERM.
 * Returns the exit code; errors are printed as one clear line, never a stack trace.
 */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  try {
    const command = parseBoardCommand(argv);
    if (command.kind === "help") {
      process.stdout.write(USAGE);
      return 0;
    }
    if (command.kind === "hash-password") return await hashPasswordCommand();
    const board = await startBoard(command.options);
    closeOnSignals(board);
    process.stderr.write(`[${BOARD_COMMAND}] ready at ${board.url}\n`);
    return 0;
  } catch (error) {
    const message = error instanceof BoardConfigError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`${BOARD_COMMAND}: ${message}\n`);
    return error instanceof BoardConfigError ? 2 : 1;
  }
}
