/**
 * `npm run demo`: the release story on the in-process network, with no configuration.
 *
 * It deploys the governed stack from hardhat.config.ts (owners Safe 2-of-3, guardian Safe 1-of-2,
 * timelock with a one-hour delay, a VaultV1 proxy), shows that a re-run sends nothing and that the
 * deployer's key is worthless, then lives through a release: an upgrade proposal signed by 2 of 3
 * owners, scheduled, executed after the delay; an incident in which the guardian pauses and rolls
 * back at once; and the unpause through the timelock. Hashes and the queue are shown at each step.
 */
import hre from "hardhat";

import {
  deployStack,
  executeProposal,
  listProposals,
  propose,
  readStackStatus,
  ROLES,
  signProposal,
} from "hardhat-release-safety/core";
import { createTypedDataSigner, listAccounts, openRuntime } from "hardhat-release-safety/runtime";
import {
  deployView,
  executeView,
  formatTime,
  Output,
  proposalView,
  queueView,
  signView,
  statusView,
} from "hardhat-release-safety/ui";

const connection = await hre.network.create();
const runtime = await openRuntime(hre, connection);
const reporter = new Output({ network: runtime.network });
const { ethers } = connection;

reporter.heading("1. A team deploys its vault behind governance");
reporter.text("One command builds Safe v1.4.1 at its canonical addresses, both Safes, the timelock and the proxy,");
reporter.text("then checks the result on chain before writing it down.");
const deploy = () =>
  runtime.txContext(reporter.onEvent).then((ctx) =>
    deployStack({
      network: runtime.network,
      config: runtime.networkConfig(),
      ctx,
      artifacts: runtime.artifacts,
      validateImplementation: runtime.validateImplementation,
    }),
  );
const first = await deploy();
reporter.result(deployView, first);

reporter.heading("2. The deploy is run again (say, by CI after a flaky RPC)");
const second = await deploy();
reporter.text(
  `Transactions sent the second time: ${second.transactions}. Every address is CREATE2: a re-run finds, never duplicates.`,
);

reporter.heading("3. Someone holding the deployer's key tries to take over");
const [deployer] = await ethers.getSigners();
const vault = await ethers.getContractAt("VaultV1", first.stack.proxies.Vault!.address, deployer);
const attempts: Array<[string, () => Promise<unknown>]> = [
  ["upgrade the vault to their own code", () => vault.upgradeToAndCall.staticCall(deployer!.address, "0x")],
  ["pause the vault", () => vault.pause.staticCall()],
  ["raise the deposit cap", () => vault.setDepositCap.staticCall(0n)],
  [
    "grant themselves the upgrader role",
    () => vault.grantRole.staticCall(ethers.id("UPGRADER_ROLE"), deployer!.address),
  ],
];
for (const [what, attempt] of attempts) {
  const outcome = await attempt().then(
    () => "ALLOWED (this would be a bug)",
    (error: Error) => `refused by the contract: ${describeRevert(error.message)}`,
  );
  reporter.text(`  - ${what}: ${outcome}`);
}

reporter.heading("4. The vault works for its users");
const [, alice] = await ethers.getSigners();
await (await vault.connect(alice).deposit({ value: ethers.parseEther("1.5") })).wait();
reporter.text(
  `Alice deposited 1.5 ETH; the vault holds ${ethers.formatEther(await vault.totalDeposits())} ETH in all.`,
);

const signTypedData = createTypedDataSigner(connection);
const accounts = await listAccounts(connection);
const ctx = () => runtime.proposalContext(reporter.onEvent);
const [owner1, owner2, owner3, guardian1] = accounts.slice(1, 5);
const showQueue = async () => reporter.result(queueView, await listProposals(ctx()));
const signBy = async (id: string, signers: string[]) => {
  for (const signer of signers) {
    const result = await signProposal({ ctx: ctx(), proposal: id, signer, accounts, signTypedData });
    reporter.result(signView, result);
  }
};
const execute = async (id: string) => {
  const result = await executeProposal({ ctx: ctx(), tx: await runtime.txContext(reporter.onEvent), proposal: id });
  reporter.result(executeView, result);
  return result;
};
const passTime = async (until: number) => {
  await connection.networkHelpers.time.increaseTo(until);
  reporter.text(`(The chain's clock moves to ${formatTime(until)}: in real life, the timelock's delay passes.)`);
};

reporter.heading("5. A release: VaultV2 adds internal transfers");
reporter.text("The engineer drafts the upgrade. The tool checks storage both ways and deploys the new code.");
const draft = (kind: string, options: Record<string, string | boolean>) =>
  propose({
    ctx: ctx(),
    kind,
    options,
    tx: () => runtime.txContext(reporter.onEvent),
    checkUpgrade: runtime.checkUpgrade,
  });
const upgrade = await draft("upgrade", { proxy: "Vault", implementation: "VaultV2", call: "initializeV2()" });
reporter.result(proposalView, upgrade);
reporter.text("\nTwo of the three owners compare the hashes on their wallets and sign:");
await signBy(upgrade.id, [owner1!, owner2!]);
const scheduled = await execute(upgrade.id);
await showQueue();
await passTime(scheduled.eta!);
reporter.text("The execute phase is a second Safe transaction, signed on its own:");
await signBy(upgrade.id, [owner2!, owner3!]);
await execute(upgrade.id);
const v2 = await ethers.getContractAt("VaultV2", vault.target);
reporter.text(
  `The vault now runs ${await v2.version()}; Alice's ${ethers.formatEther(await v2.balanceOf(alice!.address))} ETH is still there.`,
);

reporter.heading("6. An incident: the guardian pauses at once and rolls back");
const pause = await draft("pause", { proxy: "Vault" });
reporter.result(proposalView, pause);
await signBy(pause.id, [guardian1!]);
await execute(pause.id);
reporter.text(`Paused: ${await v2.paused()}. No delay: the guardian Safe holds PAUSER_ROLE directly.`);
const rollback = await draft("rollback", { proxy: "Vault", instant: true });
reporter.result(proposalView, rollback);
await signBy(rollback.id, [guardian1!]);
await execute(rollback.id);
reporter.text(
  `The vault runs ${await v2.version()} again, once and only to the recorded target; Alice still has ${ethers.formatEther(await v2.balanceOf(alice!.address))} ETH.`,
);

reporter.heading("7. Back to normal: unpausing goes through the timelock");
const unpause = await draft("unpause", { proxy: "Vault" });
await signBy(unpause.id, [owner1!, owner3!]);
const unpauseScheduled = await execute(unpause.id);
await passTime(unpauseScheduled.eta!);
await signBy(unpause.id, [owner1!, owner3!]);
await execute(unpause.id);
await showQueue();

reporter.heading("8. What `npx hardhat release status` shows now");
reporter.result(statusView, await readStackStatus(ctx()));
reporter.text("\nNext: docs/tutorial.md walks the same release on a local node, command by command.");

/** "AccessControlUnauthorizedAccount, missing UPGRADER" from a revert message. */
function describeRevert(message: string): string {
  const name = /custom error '(\w+)/.exec(message)?.[1] ?? message.split("\n")[0];
  const role = Object.entries(ROLES).find(([, id]) => message.includes(id))?.[0];
  return role === undefined ? String(name) : `${name}, missing ${role}`;
}
