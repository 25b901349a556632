// `npm run bench`, rehearsal section: wall time and JSON-RPC requests to the upstream for rehearsing
// an upgrade proposal against a loopback `hardhat node` with 50 ms of added latency per request (a
// counting proxy below), next to the same upgrade done naively on a fork (impersonate the timelock,
// call upgradeToAndCall directly) in the same run. The live stack is built once with the core
// (deployStack, proposeUpgrade, one owner signature) through a connection to the node, with its
// records in a temporary folder. Every measured run opens a fresh fork through the proxy (the
// probe, EDR's fork set-up and everything read lazily count); one untimed warm-up round comes first.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import hre from "hardhat";

import { deployStack, openRecords, propose, rehearseProposals, signProposal } from "hardhat-release-safety/core";
import { createTypedDataSigner, listAccounts, loadChecks, openFork, openRuntime } from "hardhat-release-safety/runtime";
import { benchRuns, median, ms, type Section } from "./lib.js";
import { LATENCY_MS, startNode, startSlowProxy } from "./loopback.js";

const OWNER_1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

/** The live side: the governed stack, a drafted upgrade to VaultV2 with one owner's signature. */
async function buildLive(url: string) {
  const connection = await hre.network.create({ network: "localhost", override: { url } });
  try {
    const runtime = await openRuntime(hre, connection);
    // Records in a temporary folder, never deployments/localhost/.
    const records = openRecords(await mkdtemp(path.join(tmpdir(), "release-safety-bench-live-")));
    const tx = { ...(await runtime.txContext(() => {})), records };
    const ctx = { ...runtime.proposalContext(() => {}), records };
    const { network, artifacts, validateImplementation } = runtime;
    await deployStack({ network, config: runtime.networkConfig(), ctx: tx, artifacts, validateImplementation });
    const options = { proxy: "Vault", implementation: "VaultV2", call: "initializeV2()" };
    const proposal = await propose({
      ctx,
      kind: "upgrade",
      options,
      tx: async () => tx,
      checkUpgrade: runtime.checkUpgrade,
    });
    const [accounts, signTypedData] = [await listAccounts(connection), createTypedDataSigner(connection)];
    await signProposal({ ctx, proposal: proposal.id, signer: OWNER_1, accounts, signTypedData });
    return { runtime, records, proposal };
  } finally {
    await connection.close();
  }
}

type Live = Awaited<ReturnType<typeof buildLive>>;

async function ours(live: Live, forkUrl: string): Promise<void> {
  const fork = await openFork(hre, forkUrl);
  try {
    const report = await rehearseProposals({
      network: live.runtime.network,
      liveRecords: live.records,
      forkRecords: fork.records,
      fork: fork.handle,
      proposals: [live.proposal.id],
      artifacts: live.runtime.artifacts,
      compiledCode: live.runtime.compiledCode,
      checks: await loadChecks(hre.config.release.checksDir),
      onEvent: () => {},
      now: () => new Date(),
    });
    if (!report.ok) throw new Error(`the rehearsal failed:\n${JSON.stringify(report.proposals, null, 2)}`);
  } finally {
    await fork.close();
  }
}

async function naive(live: Live, forkUrl: string): Promise<void> {
  const fork = await openFork(hre, forkUrl);
  try {
    const { networkHelpers: helpers, ethers } = fork.connection;
    const timelock = live.proposal.timelock!.address;
    await helpers.impersonateAccount(timelock);
    await helpers.setBalance(timelock, 10n ** 19n);
    const vault = await ethers.getContractAt("VaultV2", live.proposal.proxy!.address, await ethers.getSigner(timelock));
    const init = vault.interface.encodeFunctionData("initializeV2");
    await (await vault.upgradeToAndCall(live.proposal.implementation!.to, init)).wait();
    if ((await vault.version()) !== "2.0.0") throw new Error("the naive upgrade did not land");
  } finally {
    await fork.close();
  }
}

export async function rehearsalBench(): Promise<Section[]> {
  const runs = benchRuns();
  const node = await startNode();
  try {
    const proxy = await startSlowProxy(node.url);
    try {
      const live = await buildLive(node.url);
      const variants = { ours, naive };
      type Run = [ms: number, requests: number, distinct: number];
      const results = { ours: [] as Run[], naive: [] as Run[] };
      const methods = { ours: new Map<string, number>(), naive: new Map<string, number>() };
      for (let round = 0; round <= runs; round++) {
        for (const name of ["ours", "naive"] as const) {
          proxy.reset();
          const start = performance.now();
          await variants[name](live, proxy.url);
          const elapsed = performance.now() - start;
          methods[name] = proxy.methods();
          if (round > 0) results[name].push([elapsed, ...proxy.count()]); // round 0 warms up
        }
      }
      const range = (values: number[]) => {
        const [lo, hi] = [Math.min(...values), Math.max(...values)];
        return lo === hi ? String(lo) : `${lo}-${hi}`;
      };
      const row = (label: string, values: Run[]) => {
        const times = values.map((v) => v[0]);
        const [requests, distinct] = [range(values.map((v) => v[1])), range(values.map((v) => v[2]))];
        return [label, ms(median(times)), ms(Math.min(...times)), requests, distinct];
      };
      const allMethods = [...new Set([...methods.ours.keys(), ...methods.naive.keys()])].sort();
      return [
        {
          title: `Rehearsing an upgrade on a fork of a loopback node, +${LATENCY_MS} ms per upstream request (${runs} run${runs === 1 ? "" : "s"} per variant, fresh fork each, after 1 warm-up)`,
          header: ["Variant", "Median", "Min", "Upstream requests", "Distinct (method + params)"],
          rows: [
            row("ours: openFork + rehearseProposals (schedule + execute)", results.ours),
            row("naive: openFork + impersonated timelock upgradeToAndCall", results.naive),
          ],
          notes: [
            "Both open the same fork (openFork: eth_chainId + eth_blockNumber probe, then EDR reads state lazily through the proxy); requests count each call of a batch.",
            "EDR, forking near the head, re-reads the same accounts for almost every call; openFork's read cache answers those repeats (before it: about 2,090 requests, 143 distinct, ~50 s per rehearsal here).",
            "Ours: checks the collected signature, impersonates the missing owners (approveHash), schedules through the owners Safe, warps to the ETA, executes, then asserts roles, balances, implementation code = compiled VaultV2, state preserved, project checks.",
            "Naive skips signatures, the Safe nonce, the timelock's state and ETA and every assertion: it would have 'passed' a stale, cancelled or tampered proposal.",
          ],
        },
        {
          title: "Upstream requests by method (last measured run)",
          header: ["Method", "Ours", "Naive"],
          rows: allMethods.map((m) => [m, String(methods.ours.get(m) ?? 0), String(methods.naive.get(m) ?? 0)]),
        },
      ];
    } finally {
      await proxy.close();
    }
  } finally {
    await node.stop();
  }
}
