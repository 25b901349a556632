import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { signProposal } from "../../src/core/proposals/sign-proposal.js";
import { createTypedDataSigner, listAccounts } from "../../src/plugin/proposal-deps.js";
import { openRuntime } from "../../src/plugin/runtime.js";
import { signView } from "../../src/ui/proposal-view.js";
import { Reporter } from "../../src/ui/reporter.js";
import { parseAcknowledge } from "../options.js";
import { codedAction } from "../../src/plugin/coded-action.js";

async function signAction(
  args: { proposal: string; signer: string; signature: string; acknowledge: string; json: boolean },
  hre: HardhatRuntimeEnvironment,
) {
  const runtime = await openRuntime(hre);
  const reporter = new Reporter({ json: args.json });
  const result = await signProposal({
    ctx: runtime.proposalContext(reporter.onEvent),
    proposal: args.proposal,
    signer: args.signer || undefined,
    signature: args.signature || undefined,
    acknowledge: parseAcknowledge(args.acknowledge, "release sign"),
    accounts: await listAccounts(runtime.connection),
    signTypedData: createTypedDataSigner(runtime.connection),
  });
  reporter.render((color) => signView(result, color), result);
  return result;
}

export default codedAction("release sign", signAction);
