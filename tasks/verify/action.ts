import type { CheckStackCodeResult } from "../../src/core/verify/check-stack-code.js";
import { checkStackCode } from "../../src/core/verify/check-stack-code.js";
import { verifyStack, type VerifyStackResult } from "../../src/core/verify/verify-stack.js";
import { releaseAction } from "../../src/plugin/release-action.js";
import type { View } from "../../src/ui/output.js";
import { codeCheckView, verifyView } from "../../src/ui/views/verify-view.js";
import { readExplorerSetups } from "./explorer-setups.js";
import { createHardhatVerifySubmitter } from "./hardhat-verify-submitter.js";

interface VerifyArgs {
  contract?: string;
  explorer?: string;
  attempts: number;
  retryDelay: number;
  local: boolean;
  json: boolean;
}

type Result = { local: true; result: CheckStackCodeResult } | { local: false; result: VerifyStackResult };

/** Either the local bytecode match (--local) or the explorers' verification. */
const view: View<Result> = {
  ok: (r) => r.result.ok,
  json: (r) => r.result,
  text: (r, ctx) => (r.local ? codeCheckView.text(r.result, ctx) : verifyView.text(r.result, ctx)),
};

export default releaseAction("release verify", view, async (args: VerifyArgs, { hre, output, runtime }) => {
  // Compare with (and submit) what the sources say now; a no-op when nothing changed.
  await hre.tasks.getTask("build").run({ quiet: true });
  const rt = await runtime();
  const provider = rt.connection.ethers.provider;
  const common = { network: rt.network, provider, records: rt.records, compiled: rt.compiledCode };
  if (args.local) return { local: true, result: await checkStackCode({ ...common, contract: args.contract }) };
  output.heading(`Verifying the stack of ${rt.network} on the explorers`);
  const chainId = Number((await provider.getNetwork()).chainId);
  const result = await verifyStack({
    ...common,
    contract: args.contract,
    explorers: { requested: args.explorer?.split(","), setups: readExplorerSetups(hre) },
    submit: createHardhatVerifySubmitter(hre, chainId),
    retry: { attempts: Math.max(1, args.attempts), delayMs: Math.max(0, args.retryDelay) * 1000 },
    onEvent: output.onVerifyEvent,
  });
  return { local: false, result };
});
