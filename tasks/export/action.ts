import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { successfulResult } from "hardhat/utils/result";

import { ERRORS, ReleaseError } from "../../src/core/errors.js";
import { exportTxBuilder } from "../../src/core/proposals/export-tx-builder.js";
import { openRuntime } from "../../src/plugin/runtime.js";
import { ReviewView } from "../../src/ui/review-view.js";
import { codedAction } from "../../src/plugin/coded-action.js";

const FORMATS = ["tx-builder"];

interface ExportArgs {
  proposal: string;
  format: string;
  out?: string;
  json: boolean;
}

async function exportAction(args: ExportArgs, hre: HardhatRuntimeEnvironment) {
  // Checked before touching the network: a typo must not cost an RPC round trip.
  if (!FORMATS.includes(args.format)) {
    throw new ReleaseError(ERRORS.PROPOSAL.UNSUPPORTED_EXPORT_FORMAT, {
      format: args.format,
      supported: FORMATS.join(", "),
    });
  }
  const runtime = await openRuntime(hre);
  const proposal = await runtime.records.readProposal(args.proposal);
  if (proposal === undefined) {
    throw new ReleaseError(ERRORS.PROPOSAL.UNKNOWN_PROPOSAL, { proposal: args.proposal, network: runtime.network });
  }
  const chainId = Number((await runtime.connection.ethers.provider.getNetwork()).chainId);
  const result = exportTxBuilder({ proposal, network: runtime.network, chainId, createdAt: Date.now() });
  await new ReviewView({ json: args.json }).exported(result, args.out);
  return successfulResult(result);
}

export default codedAction("release export", exportAction);
