import { ScenarioError } from "../scenario/errors";
import { Exit, UsageError, type CommandIO } from "./io";
import { RUN_USAGE, runCommand } from "./run";

type Command = (argv: string[], io: CommandIO) => Promise<number>;

/** Commands load lazily, so `replicalab run` never pays for the browser or checker modules. */
const COMMANDS: Record<string, { usage: string; load: () => Command }> = {
  run: { usage: RUN_USAGE, load: () => runCommand },
};

/** Registers a command (modules that own one call this from cli.ts). */
export function registerCommand(name: string, usage: string, load: () => Command): void {
  COMMANDS[name] = { usage, load };
}

export function usage(): string {
  return ["usage:", ...Object.values(COMMANDS).map((c) => `  ${c.usage}`)].join("\n") + "\n";
}

/** Entry point of the `replicalab` binary: returns the exit code; user errors are one line on stderr. */
export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return name === undefined ? Exit.BadInput : Exit.Ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`replicalab: unknown command "${name}"\n${usage()}`);
    return Exit.BadInput;
  }
  try {
    return await command.load()(rest, io);
  } catch (error) {
    if (error instanceof ScenarioError || error instanceof UsageError) {
      io.stderr(`replicalab ${name}: ${error.message}\n`);
      return Exit.BadInput;
    }
    throw error;
  }
}
