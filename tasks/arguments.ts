import { ArgumentType } from "hardhat/types/arguments";

// Arguments several tasks declare alike. Kept apart from options.ts, which parses them: a task's
// definition is loaded with the config, so it imports nothing but Hardhat's types.

/** The proposal a command acts on (Hardhat's positionals are optional here: a missing one is RS1009). */
export const PROPOSAL_ARGUMENT = {
  name: "proposal",
  description: "The proposal id, e.g. 001-upgrade-Vault, as `release proposals` lists it (required)",
  type: ArgumentType.STRING_WITHOUT_DEFAULT,
  defaultValue: undefined,
} as const;

/** `--acknowledge`: the warning-level red flags a signer, executor or exporter accepts. */
export function acknowledgeOption(what: string) {
  return {
    name: "acknowledge",
    description: `Warning-level red flags you accept, comma-separated (e.g. RF-013); ${what}`,
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  } as const;
}
