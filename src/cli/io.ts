/** Where a command writes. Commands never touch process.stdout directly, so tests can capture them. */
export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Exit codes shared by every command. */
export const Exit = { Ok: 0, Invalid: 1, BadInput: 2, Unknown: 3 } as const;

/** A user error: printed as one line, exit code 2, never a stack trace. */
export class UsageError extends Error {}
