import { writeFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { errorResult, successfulResult } from "hardhat/utils/result";

import { ERRORS, ReleaseError } from "../../src/core/errors.js";
import { rehearseProposals } from "../../src/core/rehearsal/rehearse-proposals.js";
import { loadChecks } from "../../src/plugin/load-checks.js";
import { openFork } from "../../src/plugin/open-fork.js";
import { openRuntime } from "../../src/plugin/runtime.js";
import { rehearsalMarkdown, rehearsalText } from "../../src/ui/rehearsal-view.js";
import { Reporter } from "../../src/ui/reporter.js";
import { codedAction } from "../../src/plugin/coded-action.js";

interface Args {
  proposals: string[];
  pending: boolean;
  fork: string;
  forkUrl: string;
  block: number;
  report: string;
  json: boolean;
}

async function rehearseAction(args: Args, hre: HardhatRuntimeEnvironment) {
  const runtime = await openRuntime(hre);
  const ids = args.pending
    ? (await runtime.records.listProposals())
        .filter((p) => p.status === "drafted" || p.status === "scheduled")
        .map((p) => p.id)
    : args.proposals;
  if (ids.length === 0) {
    throw new ReleaseError(ERRORS.REHEARSAL.NOTHING_TO_REHEARSE, {
      network: runtime.network,
      reason: args.pending ? "no pending proposal" : "no proposal named",
    });
  }
  const url = args.forkUrl || (await networkUrl(hre, args.fork || runtime.network));
  const fork = await openFork(hre, url, args.block >= 0 ? args.block : undefined);
  const reporter = new Reporter({ json: args.json });
  try {
    const report = await rehearseProposals({
      network: runtime.network,
      liveRecords: runtime.records,
      forkRecords: fork.records,
      fork: fork.handle,
      proposals: ids,
      artifacts: runtime.artifacts,
      compiledCode: runtime.compiledCode,
      checks: await loadChecks(hre.config.release.checksDir),
      onEvent: () => {},
      now: () => new Date(),
    });
    if (args.report !== "") await writeFile(args.report, rehearsalMarkdown(report));
    reporter.render((color) => rehearsalText(report, color), report);
    return report.ok ? successfulResult(report) : errorResult(report);
  } finally {
    await fork.close();
  }
}

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

export default codedAction("release rehearse", rehearseAction);
