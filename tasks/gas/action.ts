import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import { estimateTransactionCost, type TransactionToEstimate } from "../../src/core/gas/estimate-transaction-cost.js";
import { readTransactionInput } from "../../src/core/gas/read-transaction-input.js";
import { resolveFeePolicy } from "../../src/core/gas/resolve-fee-policy.js";
import { prepareExecution } from "../../src/core/proposals/prepare-execution.js";
import { failoverEndpoint } from "../../src/plugin/hooks/network.js";
import { releaseAction } from "../../src/plugin/release-action.js";
import { connectWithRpc } from "../../src/plugin/rpc-connection.js";
import { openRuntime } from "../../src/plugin/runtime.js";
import { gasEstimateView } from "../../src/ui/views/gas-view.js";
import { parseMaxFee } from "../options.js";

interface GasArgs {
  proposal?: string;
  to?: string;
  data: string;
  value: string;
  from?: string;
  rpc?: string;
  maxFee?: string;
  urgent: boolean;
  json: boolean;
}

export default releaseAction("release gas", gasEstimateView, async (args: GasArgs, { hre }) => {
  const connection = await connectWithRpc(hre, args.rpc);
  const input =
    args.proposal === undefined ? readTransactionInput(args) : await proposalExecution(hre, connection, args.proposal);
  const from = input.from ?? ((await connection.provider.request({ method: "eth_accounts" })) as string[])[0];
  const estimate = await estimateTransactionCost({
    rpc: connection.provider,
    tx: { ...input, ...(from === undefined ? {} : { from: from as `0x${string}` }) },
    policy: resolveFeePolicy(hre.config.release.networks[connection.networkName]?.fees),
    override: { urgent: args.urgent, ...(args.maxFee === undefined ? {} : { maxFeePerGas: parseMaxFee(args.maxFee) }) },
    answeredBy: () => failoverEndpoint(connection),
  });
  return { network: connection.networkName, ...estimate };
});

/**
 * A proposal is estimated as `release execute` would send it: execTransaction on its Safe with the
 * collected signatures in place, so the Safe's own signature checks are part of the estimate.
 */
async function proposalExecution(
  hre: HardhatRuntimeEnvironment,
  connection: NetworkConnection,
  id: string,
): Promise<TransactionToEstimate> {
  const runtime = await openRuntime(hre, connection);
  const { proposal, data } = await prepareExecution(
    runtime.proposalContext(() => {}),
    id,
  );
  return { to: proposal.safe.address, data, value: 0n };
}
