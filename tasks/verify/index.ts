import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

export default task(
  ["release", "verify"],
  "Verify every contract in deployments/<network>/ (implementations, earlier ones too, proxies, the timelock) on every configured explorer through hardhat-verify, and check the canonical Safe contracts. Re-runs retry only what is not verified yet. With --local: only compare on-chain code with the compiled artifacts, no explorer. Exits with code 1 unless everything is verified.",
)
  .addOption({
    name: "contract",
    description: "Only this: a proxy name (with its implementations), a contract name, or `timelock`",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption({
    name: "explorer",
    description:
      "Comma-separated explorers (etherscan,blockscout,sourcify); default: every enabled one that knows the chain",
    type: ArgumentType.STRING_WITHOUT_DEFAULT,
    defaultValue: undefined,
  })
  .addOption({
    name: "attempts",
    description: "Submissions per contract and explorer while the explorer has not indexed the contract yet",
    type: ArgumentType.INT,
    defaultValue: 5,
  })
  .addOption({
    name: "retryDelay",
    description: "Seconds to wait before the first retry of a contract the explorer has not indexed; doubles each time",
    type: ArgumentType.FLOAT,
    defaultValue: 10,
  })
  .addFlag({
    name: "local",
    description: "Only the local bytecode match: on-chain code against the compiled artifacts, offline, no explorer",
  })
  .addFlag({ name: "json", description: "Print only the result as JSON" })
  .setAction(() => import("./action.js"))
  .build();
