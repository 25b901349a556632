import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { TaskDefinition } from "hardhat/types/tasks";

import type { ProposalKindModule } from "../core/proposals/kinds/kind.js";
import { PROPOSAL_KINDS } from "../core/proposals/kinds/registry.js";

/**
 * One `release propose <kind>` task per kind with a command, its options declared by the kind
 * module. Every one runs tasks/propose/action.ts, which learns its kind from a hidden option.
 */
export function proposeTasks(): TaskDefinition[] {
  return PROPOSAL_KINDS.filter((kind) => kind.command !== false).map(proposeTask);
}

function proposeTask(kind: ProposalKindModule): TaskDefinition {
  // The builder's types follow each option added; options come from data here, so it is widened.
  let builder = task(["release", "propose", kind.name], kind.summary) as unknown as Builder;
  for (const option of kind.options) {
    const description = option.required === true ? `${option.description} (required)` : option.description;
    if (option.type === "flag") builder = builder.addFlag({ name: option.name, description });
    else if (option.type === "positional") {
      builder = builder.addPositionalArgument({
        name: option.name,
        description,
        type: ArgumentType.STRING_WITHOUT_DEFAULT,
        defaultValue: undefined,
      });
    } else {
      builder = builder.addOption({
        name: option.name,
        description,
        type: ArgumentType.STRING_WITHOUT_DEFAULT,
        defaultValue: undefined,
      });
    }
  }
  return builder
    .addFlag({ name: "json", description: "Print only the proposal as JSON" })
    .addOption({ name: "proposalKind", description: "", defaultValue: kind.name, hidden: true })
    .setAction(() => import("../../tasks/propose/action.js"))
    .build();
}

interface Builder {
  addFlag(o: { name: string; description: string }): Builder;
  addOption(o: {
    name: string;
    description: string;
    type?: ArgumentType;
    defaultValue: unknown;
    hidden?: boolean;
  }): Builder;
  addPositionalArgument(o: { name: string; description: string; type: ArgumentType; defaultValue: unknown }): Builder;
  setAction(action: () => Promise<{ default: unknown }>): Builder;
  build(): TaskDefinition;
}
