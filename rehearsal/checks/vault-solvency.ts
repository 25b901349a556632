// A post-upgrade check: `release rehearse` runs every module in this folder against the forked
// state after each proposal. Export a default async function; throw to fail the rehearsal.
import { Contract } from "ethers";

import type { PostUpgradeCheckContext } from "hardhat-release-safety/core";

/** Every vault holds at least the ETH its depositors are owed, whatever code it now runs. */
export default async function vaultSolvency({ provider, stack }: PostUpgradeCheckContext): Promise<void> {
  for (const [name, proxy] of Object.entries(stack.proxies)) {
    if (!proxy.contract.startsWith("Vault")) continue;
    const vault = new Contract(proxy.address, ["function totalDeposits() view returns (uint256)"], provider);
    const owed = (await vault.totalDeposits!()) as bigint;
    const held = await provider.getBalance(proxy.address);
    if (held < owed) throw new Error(`${name} is insolvent: it holds ${held} wei for ${owed} wei of deposits`);
  }
}
