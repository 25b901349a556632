import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { proposePause } from "../../src/core/proposals/propose-pause.js";
import { openRuntime } from "../../src/plugin/runtime.js";
import { proposalView } from "../../src/ui/proposal-view.js";
import { Reporter } from "../../src/ui/reporter.js";
import { required } from "../options.js";

export interface PauseArgs {
  proxy: string;
  description: string;
  json: boolean;
}

/** `release propose pause` and `release propose unpause`: one action, two directions. */
export async function proposePauseAction(action: "pause" | "unpause", args: PauseArgs, hre: HardhatRuntimeEnvironment) {
  const runtime = await openRuntime(hre);
  const reporter = new Reporter({ json: args.json });
  const proposal = await proposePause({
    ctx: runtime.proposalContext(reporter.onEvent),
    proxies: required(args.proxy, "--proxy")
      .split(",")
      .map((p) => p.trim()),
    action,
    description: args.description || undefined,
  });
  reporter.render((color) => proposalView(proposal, color), proposal);
  return proposal;
}
