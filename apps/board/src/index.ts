export { main } from "./cli.js";
export { startBoard, type RunningBoard } from "./server.js";
export {
  BOARD_COMMAND,
  BOARD_OPTIONS,
  BoardConfigError,
  parseBoardCommand,
  resolveBoardOptions,
  USAGE,
  type BoardOptions,
} from "./config.js";
export { hashPassword, verifyPassword, parsePasswordHash } from "./password-hash.js";
export { openStoredArtifact, ArtifactMissingError, ArtifactUnsupportedError, type ArtifactOpener } from "./artifact-opener.js";
export type { LoginThrottleOptions } from "./login-throttle.js";
export type { SessionOptions } from "./sessions.js";
