import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { ERRORS, ReleaseError } from "../../src/core/errors.js";
import { writeFileAtomic } from "../../src/core/records/json-file.js";
import { rehearseProposals } from "../../src/core/rehearsal/rehearse-proposals.js";
import { loadChecks } from "../../src/plugin/load-checks.js";
import { openFork } from "../../src/plugin/open-fork.js";
import { releaseAction } from "../../src/plugin/release-action.js";
import { rehearsalView } from "../../src/ui/views/rehearsal-view.js";
import { parseBlock } from "../options.js";

interface Args {
  proposals: string[];
  pending: boolean;
  fork?: string;
  forkUrl?: string;
  block?: string;
  report?: string;
  json: boolean;
  markdown: boolean;
}

export default releaseAction("release rehearse", rehearsalView, async (args: Args, { hre, output, runtime }) => {
  const rt = await runtime();
  const ids = args.pending
    ? (await rt.records.listProposals())
        .filter((p) => p.status === "drafted" || p.status === "scheduled")
        .map((p) => p.id)
    : args.proposals;
  if (ids.length === 0) {
    throw new ReleaseError(ERRORS.REHEARSAL.NOTHING_TO_REHEARSE, {
      network: rt.network,
      reason: args.pending ? "no pending proposal" : "no proposal named",
    });
  }
  const url = args.forkUrl ?? (await networkUrl(hre, args.fork ?? rt.network));
  const fork = await openFork(hre, url, parseBlock(args.block));
  try {
    const report = await rehearseProposals({
      network: rt.network,
      liveRecords: rt.records,
      forkRecords: fork.records,
      fork: fork.handle,
      proposals: ids,
      artifacts: rt.artifacts,
      compiledCode: rt.compiledCode,
      checks: await loadChecks(hre.config.release.checksDir),
      onEvent: () => {},
      now: () => new Date(),
    });
    if (args.report !== undefined) await writeFileAtomic(args.report, output.render(rehearsalView, report, "markdown"));
    return report;
  } finally {
    await fork.close();
  }
});

/** The RPC URL of an http network in hardhat.config.ts (resolving its configVariable). */
async function networkUrl(hre: HardhatRuntimeEnvironment, name: string): Promise<string> {
  const config = hre.config.networks[name];
  if (config?.type !== "http") {
    throw new ReleaseError(ERRORS.REHEARSAL.FORK_UNREACHABLE, {
      source: name,
      reason: `"${name}" is not an http network in hardhat.config.ts; pass --fork <network> or --fork-url <url>`,
    });
  }
  return config.url.getUrl();
}
