/**
 * `npm run demo`: the release story on the in-process network, with no configuration.
 *
 * It deploys the governed stack from hardhat.config.ts (owners Safe 2-of-3, guardian Safe 1-of-2,
 * timelock with a one-hour delay, a VaultV1 proxy), shows how it is governed, runs the deploy
 * again to show that nothing is sent twice, and then tries what an attacker holding the
 * deployer's key would try: every attempt is refused by the contracts themselves.
 */
import hre from "hardhat";

import { deployStack } from "../src/core/governance/deploy-stack.js";
import { ROLES } from "../src/core/governance/roles.js";
import { readStackStatus } from "../src/core/governance/read-stack-status.js";
import { openRuntime } from "../src/plugin/runtime.js";
import { Reporter } from "../src/ui/reporter.js";

const reporter = new Reporter();
const connection = await hre.network.create();
const runtime = await openRuntime(hre, connection);
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
reporter.deployResult(first);

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

reporter.heading("5. What `npx hardhat release status` shows now");
reporter.status(await readStackStatus(ethers.provider, runtime.records, runtime.network));
reporter.text('\nNext steps for a real network: README.md, "Quick start" and "Configuration".');

/** "AccessControlUnauthorizedAccount, missing UPGRADER" from a revert message. */
function describeRevert(message: string): string {
  const name = /custom error '(\w+)/.exec(message)?.[1] ?? message.split("\n")[0];
  const role = Object.entries(ROLES).find(([, id]) => message.includes(id))?.[0];
  return role === undefined ? String(name) : `${name}, missing ${role}`;
}
